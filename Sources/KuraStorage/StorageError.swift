/// The one error type KuraStorage throws: a code the layers above map to their own, a one-line
/// message naming the object or the store, and the underlying cause when there is one.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The object (or the bucket, the directory) does not exist.
        case notFound
        /// The store refused the credentials or the signature.
        case accessDenied
        /// The store is read-only, or this credential may only read.
        case readOnly
        /// The store did not answer well after every retry (connection lost, 5xx, SlowDown).
        case unavailable
        /// The store answered with something that is not what the protocol says.
        case badResponse
        /// The object ends before the byte range asked for (it was cut short).
        case truncated
        /// A local file system error.
        case io
        /// A location kura cannot use (an unknown scheme, a malformed URL).
        case invalidLocation
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }
}

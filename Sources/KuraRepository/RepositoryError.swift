/// The one error type KuraRepository throws: what went wrong (a code the CLI maps to an exit
/// status), a one-line message for the user, and the underlying cause when there is one.
public struct RepositoryError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        case repositoryNotFound
        case repositoryExists
        case locked
        case wrongPassword
        /// The key opened, but it is write-only and the operation needs to decrypt.
        case writeOnlyKey
        case snapshotNotFound
        case pathNotFound
        case damaged
        case io
        case invalidArgument
        case sourceFailed
        case lastFullKey
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

    static let writeOnly = RepositoryError(.writeOnlyKey,
        "this key is write-only: it can back up and deduplicate but cannot read snapshots or packs")
}

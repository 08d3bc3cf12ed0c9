/// The one error type KuraMedia throws: what went wrong with a medium, in one line, and the
/// libarchive or system error behind it.
public struct MediaError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The device holds no kura backup set (a foreign or random file).
        case notKuraMedium
        /// The medium ends before everything its set needs was read.
        case truncated
        /// Blobs fail authentication or do not match their ids.
        case damaged
        /// The device could not be opened, read or written.
        case device
        /// The requested snapshot is not on the medium.
        case snapshotNotFound
        /// A label's MAC or sealed part does not check out under the repository's key.
        case unauthenticLabel
        /// libarchive, which media commands load when they start, is not installed.
        case libraryMissing
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

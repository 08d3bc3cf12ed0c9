#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type KuraSystem throws: which call failed on what (a path, a command, a device), a
/// one-line message naming both, and the errno that caused it (0 when the failure is not an errno).
/// The modules above map it into their own error type where it crosses their API.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// A system call failed; `errno` says why.
        case callFailed
        /// A file ended before the bytes asked for (a `pread` past its end).
        case shortFile
        /// A path that should be a directory is something else.
        case notADirectory
    }

    public let code: Code
    /// The C function that failed (`open`, `pread`, `posix_spawn`, …).
    public let call: String
    /// What it was called on: a path, a device, a command.
    public let path: String
    /// The errno, or 0.
    public let errno: Int32
    public let message: String

    public init(_ code: Code, call: String, path: String, errno: Int32 = 0, message: String) {
        self.code = code
        self.call = call
        self.path = path
        self.errno = errno
        self.message = message
    }

    /// `call path: strerror(errno)`, the form every wrapper uses unless it says more.
    public init(call: String, path: String, errno code: Int32) {
        self.init(.callFailed, call: call, path: path, errno: code,
                  message: "\(call) \(path): \(Self.describe(errno: code))")
    }

    /// `strerror(3)`
    public static func describe(errno code: Int32) -> String { String(cString: strerror(code)) }

    /// The write failed because the reader went away (EPIPE).
    public var isBrokenPipe: Bool { errno == EPIPE }

    /// The path does not exist (ENOENT).
    public var isNotFound: Bool { errno == ENOENT }

    /// The file system is mounted read-only (EROFS).
    public var isReadOnlyFileSystem: Bool { errno == EROFS }

    public var description: String { message }
}

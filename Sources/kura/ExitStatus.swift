import ArgumentParser
import KuraRepository
import KuraStorage
import KuraSystem

/// kura's exit codes, shared with restic's where they overlap so cron wrappers keep working.
enum ExitStatus: Int32 {
    case success = 0
    case failure = 1
    case partialBackup = 3
    case repositoryNotFound = 10
    case repositoryLocked = 11
    case wrongPasswordOrKey = 12
    case catalogRefused = 20
    case catalogNotFound = 21
    case usage = 64
}

/// An error kura reports itself: one line, one exit code.
protocol UserFacingError: Error {
    var userMessage: String { get }
    var exitCode: ExitStatus { get }
}

extension RepositoryError: UserFacingError {
    var userMessage: String { description }
    var exitCode: ExitStatus {
        switch code {
        case .repositoryNotFound: return .repositoryNotFound
        case .locked: return .repositoryLocked
        case .wrongPassword, .writeOnlyKey: return .wrongPasswordOrKey
        case .invalidArgument: return .usage
        default: return .failure
        }
    }
}

/// A failed system call that reached the CLI (an unreadable file, a full disk): exit 1, like the I/O
/// errors of the modules that map it into their own type.
extension SystemError: UserFacingError {
    var userMessage: String { message }
    var exitCode: ExitStatus { .failure }
}

/// A backend failure that reached the CLI (a store that does not answer, refused credentials): exit 1;
/// a location kura cannot use is a usage error.
extension StorageError: UserFacingError {
    var userMessage: String { description }
    var exitCode: ExitStatus { code == .invalidLocation ? .usage : .failure }
}

/// A plain failure with a message, for conditions the CLI itself detects.
struct CommandFailure: UserFacingError {
    let userMessage: String
    var exitCode: ExitStatus = .failure
    init(_ message: String, exitCode: ExitStatus = .failure) {
        userMessage = message
        self.exitCode = exitCode
    }
}

import ArgumentParser
import Foundation
import KuraRepository
import KuraStorage

/// `--retry-lock`: how every command that locks the repository waits for a conflicting lock.
struct LockOptions: ParsableArguments {
    @Option(help: ArgumentHelp("While another process holds a conflicting lock, keep trying this long (e.g. 5min, 1h) "
        + "instead of exiting 11 at once.", valueName: "duration"))
    var retryLock: CalendarDuration?

    var retrySeconds: TimeInterval {
        guard let retryLock else { return 0 }
        let now = Date()
        return max(0, now.timeIntervalSince(retryLock.before(now, calendar: Calendar(identifier: .gregorian))))
    }

    func lock(_ repo: Repository, exclusive: Bool, operation: String) throws -> RepositoryLock {
        try repo.lock(exclusive: exclusive, operation: operation, retry: retrySeconds)
    }
}

/// `--no-lock` and `--retry-lock` for commands that only read the repository.
struct ReadLockOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("Read without taking a lock (for a repository on read-only storage; a concurrent prune may then "
        + "delete data this command is reading). On read-only storage kura does this by itself, with a warning."))
    var noLock = false

    @OptionGroup var retry: LockOptions

    /// A shared lock, or none with --no-lock or when the repository is on read-only storage.
    func lock(_ repo: Repository, operation: String) throws -> RepositoryLock? {
        if noLock { return nil }
        if repo.isReadOnly {
            Terminal.warn("the repository is read-only here, so \(operation) reads it without a lock (as with --no-lock)")
            return nil
        }
        do {
            return try retry.lock(repo, exclusive: false, operation: operation)
        } catch let error as StorageError where error.code == .readOnly {
            // A read-only credential on an object store: known only once a write is refused.
            Terminal.warn("the repository cannot be written with these credentials, so \(operation) reads it without a lock (as with --no-lock)")
            return nil
        }
    }
}

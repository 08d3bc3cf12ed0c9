#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in pieces over a long time (the files cache, as a backup walks a million files) that
/// replaces `path` only when `commit` is called: the bytes go to a temporary file beside it
/// (`PATH.tmp-RANDOM`, created exclusively), which `commit` fsyncs and renames over `path` (then fsyncs
/// the directory). Dropped without a commit, on an error or on SIGINT/SIGTERM, the temporary file is
/// removed; `path` is never seen half written.
public final class AtomicFileWriter {
    public let path: String
    private let temporary: String
    private var fd: Int32
    private var interruptToken: Int?

    public init(_ path: String, mode: mode_t = 0o600) throws {
        self.path = path
        let temporary = path + ".tmp-" + Posix.randomHex(8)
        self.temporary = temporary
        interruptToken = Interruption.onInterrupt { _ = Glibc.unlink(temporary) }
        do {
            fd = try Posix.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        } catch {
            if let interruptToken { Interruption.forget(interruptToken) }
            throw error
        }
    }

    deinit { abandon() }

    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(fd >= 0, "AtomicFileWriter used after commit or abandon")
        try Posix.writeFully(fd, bytes, path: temporary)
    }

    /// Makes the bytes durable and puts them at `path` in one rename.
    public func commit() throws {
        precondition(fd >= 0, "AtomicFileWriter committed twice or after abandon")
        do {
            try Posix.fsync(fd, path: temporary)
            Posix.close(fd)
            fd = -1
            try Posix.rename(temporary, path)
            let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            try Posix.fsyncDirectory(directory.isEmpty ? "." : directory)
            finish()
        } catch {
            abandon()
            throw error
        }
    }

    /// As `commit`, and returns a read-only descriptor of the file committed (the caller closes it), so that
    /// what was written can be read back without opening `path` again, where another process may by then have
    /// renamed a file of its own.
    public func commitOpeningForReading() throws -> Int32 {
        precondition(fd >= 0, "AtomicFileWriter committed twice or after abandon")
        let reader: Int32
        do {
            reader = try Posix.open(temporary, O_RDONLY)
        } catch {
            abandon()
            throw error
        }
        do {
            try commit()
        } catch {
            Posix.close(reader)
            throw error
        }
        return reader
    }

    /// Removes the temporary file; `path` stays as it was.
    public func abandon() {
        if fd >= 0 { Posix.close(fd); fd = -1 }
        if interruptToken != nil { try? Posix.unlink(temporary) }
        finish()
    }

    private func finish() {
        if let interruptToken { Interruption.forget(interruptToken) }
        interruptToken = nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calls kura makes on a medium's device or file (a tape drive, a disk, an archive file); each
/// failure is a `SystemError` whose message reads "cannot WHAT PATH: strerror".
public enum Device {
    static func failure(_ what: String, _ call: String, _ path: String, _ code: Int32 = errno) -> SystemError {
        SystemError(.callFailed, call: call, path: path, errno: code,
                    message: "cannot \(what) \(path): \(SystemError.describe(errno: code))")
    }

    /// `stat(2)`: a regular file, or nothing yet (written as a file, not a device).
    public static func isRegularFileOrMissing(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return true }
        return st.st_mode & S_IFMT == S_IFREG
    }

    /// `stat(2)`: the size of a file, nil when missing.
    public static func size(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// `open(2)` for writing: a file is created, and truncated or appended to; a device is opened as it is.
    public static func openForWriting(_ path: String, append: Bool) throws -> Int32 {
        let flags = O_WRONLY | (isRegularFileOrMissing(path) ? O_CREAT | (append ? O_APPEND : O_TRUNC) : 0)
        let fd = open(path, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("open for writing", "open", path) }
        return fd
    }

    /// `open(2)` for reading.
    public static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", "open", path) }
        return fd
    }

    /// `read(2)`, retried on EINTR.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw failure("read", "read", path) }
        }
    }

    /// `write(2)` of everything.
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", "write", path)
            }
            done += n
        }
    }

    /// `pread(2)` of exactly `buffer.count` bytes.
    public static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw failure("read back", "pread", path) }
            done += n
        }
    }

    /// `fsync(2)`; devices that cannot sync (EINVAL) are fine, their driver flushes on close.
    public static func flush(_ fd: Int32, device: String) throws {
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS { throw failure("flush", "fsync", device) }
    }

    /// `sync_file_range(2)` with `SYNC_FILE_RANGE_WRITE`: starts writing `count` bytes of a file from
    /// `offset` to its disk and returns at once, so that a long write's final `fsync` has little
    /// left to do. Advisory: an error, or a descriptor that is not a file (a tape), is ignored.
    /// Glibc's Swift overlay leaves the call out (it needs `_GNU_SOURCE`); it is looked up once.
    public static func startWriteback(_ fd: Int32, offset: Int64, count: Int64) {
        guard let call = syncFileRange, count > 0 else { return }
        _ = call(fd, offset, count, 2 /* SYNC_FILE_RANGE_WRITE */)
    }

    /// Where `fd` stands (`lseek(2)`) when it is a regular file; nil for anything else (a tape).
    public static func regularFileOffset(_ fd: Int32) -> Int64? {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        let at = lseek(fd, 0, SEEK_CUR)
        return at >= 0 ? Int64(at) : nil
    }

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
    }()

    /// `close(2)`
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// `mkstemp(3)` then `unlink(2)`: an anonymous scratch file in the temporary directory.
    public static func scratchFile() throws -> Int32 {
        var template = Array(((getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/kura-spool-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw failure("create a scratch file in", "mkstemp", "TMPDIR") }
        unlink(template)
        return fd
    }

    /// `lseek(2)` to an absolute offset.
    public static func seek(_ fd: Int32, to offset: Int64, path: String) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw failure("seek in", "lseek", path) }
    }

    /// `ftruncate(2)`
    public static func truncate(_ fd: Int32, to length: Int64, path: String) throws {
        guard ftruncate(fd, off_t(length)) == 0 else { throw failure("truncate", "ftruncate", path) }
    }

    /// `open(2)` of a regular file for writing at `offset`, cutting off what follows it.
    public static func openForWriting(_ path: String, at offset: Int64) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open for writing", "open", path) }
        do {
            try truncate(fd, to: offset, path: path)
            try seek(fd, to: offset, path: path)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }
}

import Glibc

/// The POSIX calls KuraMedia makes on devices and files (libarchive's are in ArchiveCalls).
enum DeviceCalls {
    fileprivate static func failure(_ what: String, _ path: String, _ code: Int32 = errno) -> MediaError {
        MediaError(.device, "cannot \(what) \(path): \(String(cString: strerror(code)))")
    }

    /// `stat(2)`: a regular file, or nothing yet (written as a file, not a device).
    static func isRegularFileOrMissing(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return true }
        return st.st_mode & S_IFMT == S_IFREG
    }

    /// `stat(2)`: the size of a file, nil when missing.
    static func size(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// `open(2)` for writing: a file is created, and truncated or appended to; a device is opened as it is.
    static func openForWriting(_ path: String, append: Bool) throws -> Int32 {
        let flags = O_WRONLY | (isRegularFileOrMissing(path) ? O_CREAT | (append ? O_APPEND : O_TRUNC) : 0)
        let fd = open(path, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("open for writing", path) }
        return fd
    }

    /// `open(2)` for reading.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    /// `read(2)`, retried on EINTR.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw failure("read", path) }
        }
    }

    /// `write(2)` of everything.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            done += n
        }
    }

    /// `pread(2)` of exactly `buffer.count` bytes.
    static func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw failure("read back", path) }
            done += n
        }
    }

    /// `fsync(2)`; devices that cannot sync (EINVAL) are fine, their driver flushes on close.
    static func flush(_ fd: Int32, device: String) throws {
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS { throw failure("flush", device) }
    }

    /// `close(2)`
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// `mkstemp(3)` then `unlink(2)`: an anonymous scratch file in the temporary directory.
    static func scratchFile() throws -> Int32 {
        var template = Array(((getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp") + "/kura-spool-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw failure("create a scratch file in", "TMPDIR") }
        unlink(template)
        return fd
    }
}

extension DeviceCalls {
    /// `lseek(2)` to an absolute offset.
    static func seek(_ fd: Int32, to offset: Int64, path: String) throws {
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw failure("seek in", path) }
    }

    /// `ftruncate(2)`
    static func truncate(_ fd: Int32, to length: Int64, path: String) throws {
        guard ftruncate(fd, off_t(length)) == 0 else { throw failure("truncate", path) }
    }

    /// `open(2)` of a regular file for writing at `offset`, cutting off what follows it.
    static func openForWriting(_ path: String, at offset: Int64) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open for writing", path) }
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

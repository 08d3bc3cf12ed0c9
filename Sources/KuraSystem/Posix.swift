import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every system call kura makes on files, directories, processes and the host passes through here
/// (devices: `Device`; signals: `Interruption`); a failure is one `SystemError` naming the call, the
/// path and `strerror(errno)`.
public enum Posix {
    public static func error(_ call: String, _ path: String, errno code: Int32 = errno) -> SystemError {
        SystemError(call: call, path: path, errno: code)
    }

    /// `open(2)`
    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw error("open", path) }
        }
    }

    /// `close(2)`
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// `malloc_trim(0)`: hands memory that glibc's arenas keep after `free` back to the system.
    /// Worker threads each get an arena, and a backup of many files leaves every one of them holding
    /// freed chunk buffers; trimming after each large file keeps peak RSS at what is in flight.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }

    /// `mallopt(M_MMAP_THRESHOLD, bytes)`: allocations of `bytes` or more get pages of their own, returned when
    /// freed. glibc otherwise raises the threshold to the largest block freed (and the trim threshold to twice
    /// that), so after the first multi-megabyte buffer every smaller one stays in its thread's arena; a backup of
    /// a million small files ended up holding some 20 MiB more than one of 100,000 that way.
    public static func fixLargeAllocationThreshold(_ bytes: Int) {
        #if canImport(Glibc)
        _ = glibcMallopt(mOptionMmapThreshold, Int32(bytes))
        #endif
    }

    /// `mmap(2)`: `count` bytes of private, zero-filled pages of their own; `what` names them in the error.
    public static func mapPages(_ count: Int, for what: String) throws -> UnsafeMutableRawBufferPointer {
        guard let address = Glibc.mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              address != MAP_FAILED else {
            throw error("mmap", what)
        }
        return UnsafeMutableRawBufferPointer(start: address, count: count)
    }

    /// `munmap(2)`: the pages go back to the system at once.
    public static func unmapPages(_ region: UnsafeMutableRawBufferPointer) {
        if let address = region.baseAddress { _ = Glibc.munmap(address, region.count) }
    }

    /// `read(2)`, retried on EINTR; 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw error("read", path) }
        }
    }

    /// Reads until `buffer` is full or end of file; returns the bytes read.
    public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]), path: path)
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// `pread(2)` until `buffer` is full; throws on a short file.
    public static func preadFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw error("pread", path)
            }
            if n == 0 {
                throw SystemError(.shortFile, call: "pread", path: path,
                                  message: "\(path) is shorter than expected (wanted \(buffer.count) bytes at offset \(offset))")
            }
            done += n
        }
    }

    /// `setrlimit(RLIMIT_NOFILE)`: raises this process's soft limit on open files to its hard
    /// limit (1,024 is the usual soft default; the hard one is far higher). Every restore worker
    /// keeps its own pack descriptors, so a many-core host would otherwise reach the soft limit.
    public static func raiseOpenFileLimit() {
        #if canImport(Glibc)
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resource, &limit)
        #endif
    }

    /// `setrlimit(RLIMIT_CORE, 0)` (soft and hard, so nothing in this process or its children raises it
    /// again) and `prctl(PR_SET_DUMPABLE, 0)`, which also keeps other processes of the same user from
    /// attaching with ptrace or reading `/proc/PID/mem`. A child's `execve` makes it dumpable again; its
    /// core size limit stays 0.
    public static func disableCoreDumps() throws {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
        if setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none) != 0 { throw error("setrlimit", "RLIMIT_CORE") }
        if glibcPrctl(prSetDumpable, 0, 0, 0, 0) != 0 { throw error("prctl", "PR_SET_DUMPABLE") }
        #else
        if setrlimit(RLIMIT_CORE, &none) != 0 { throw error("setrlimit", "RLIMIT_CORE") }
        #endif
    }

    /// `posix_fadvise(POSIX_FADV_WILLNEED)`: starts reading a file's byte range into the page cache
    /// and returns without waiting. Advice only: a failure is ignored, and the read that follows
    /// reports any real error.
    public static func adviseWillNeed(_ fd: Int32, offset: Int, length: Int) {
        #if canImport(Glibc)
        _ = Glibc.posix_fadvise(fd, off_t(offset), off_t(length), POSIX_FADV_WILLNEED)
        #endif
    }

    /// `write(2)` until all of `buffer` is written.
    public static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            done += n
        }
    }

    /// `fsync(2)`
    public static func fsync(_ fd: Int32, path: String) throws {
        if Glibc.fsync(fd) != 0 { throw error("fsync", path) }
    }

    /// `fsync(2)` on a directory, so a rename into it is durable.
    public static func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    /// `rename(2)`
    public static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw error("rename", "\(from) -> \(to)") }
    }

    /// `unlink(2)`; a missing file is not an error.
    public static func unlink(_ path: String) throws {
        if Glibc.unlink(path) != 0 && errno != ENOENT { throw error("unlink", path) }
    }

    /// `mkdir(2)`; an existing directory is not an error.
    public static func mkdir(_ path: String, _ mode: mode_t = 0o700) throws {
        if Glibc.mkdir(path, mode) != 0 && errno != EEXIST { throw error("mkdir", path) }
    }

    /// A directory only its owner may enter: `mkdir(2)` with mode 0700, or, when this user's directory is
    /// already there with group or other bits (made by an earlier kura), `chmod(2)` to 0700.
    public static func makeOwnerOnlyDirectory(_ path: String) throws {
        try mkdir(path, 0o700)
        guard let st = statIfExists(path), st.st_mode & S_IFMT == S_IFDIR else {
            throw SystemError(.notADirectory, call: "stat", path: path, message: "\(path) is not a directory")
        }
        if st.st_uid == effectiveUserID && st.st_mode & 0o077 != 0 { try chmod(path, 0o700) }
    }

    /// `lstat(2)`
    public static func lstat(_ path: String) throws -> stat {
        var st = stat()
        if Glibc.lstat(path, &st) != 0 { throw error("lstat", path) }
        return st
    }

    /// `stat(2)`, nil when the path does not exist.
    public static func statIfExists(_ path: String) -> stat? {
        var st = stat()
        return fstatat(AT_FDCWD, path, &st, 0) == 0 ? st : nil
    }

    /// `open(2)` flags: read only; write only, creating a file that must not exist yet.
    public static let openReadOnly: Int32 = O_RDONLY
    public static let createExclusiveWriteOnly: Int32 = O_WRONLY | O_CREAT | O_EXCL

    /// `stat(2)`: the size of what is at `path` (a file or a directory), nil when nothing is there.
    public static func fileSize(_ path: String) -> Int64? { statIfExists(path).map { Int64($0.st_size) } }

    /// Whether a `stat` result is a regular file.
    public static func isRegularFile(_ st: stat) -> Bool { st.st_mode & S_IFMT == S_IFREG }

    /// A `stat` result's modification time, whole seconds since the epoch.
    public static func modificationSeconds(of st: stat) -> Int { Int(st.st_mtim.tv_sec) }

    /// A `stat` result's size in bytes.
    public static func size(of st: stat) -> Int { Int(st.st_size) }

    /// `fstat(2)`
    public static func fstat(_ fd: Int32, path: String) throws -> stat {
        var st = stat()
        if Glibc.fstat(fd, &st) != 0 { throw error("fstat", path) }
        return st
    }

    /// `readlink(2)`
    public static func readlink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = Glibc.readlink(path, &buffer, 4096)
        if n < 0 { throw error("readlink", path) }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `opendir(3)`/`readdir(3)`: the names in a directory, without "." and "..", sorted bytewise.
    public static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw error("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        errno = 0
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        if errno != 0 { throw error("readdir", path) }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// `symlink(2)`
    public static func symlink(_ target: String, at path: String) throws {
        if Glibc.symlink(target, path) != 0 { throw error("symlink", path) }
    }

    /// `link(2)`
    public static func link(_ existing: String, _ new: String) throws {
        if Glibc.link(existing, new) != 0 { throw error("link", "\(existing) -> \(new)") }
    }

    /// `chmod(2)`
    public static func chmod(_ path: String, _ mode: mode_t) throws {
        if Glibc.chmod(path, mode) != 0 { throw error("chmod", path) }
    }

    /// `lchown(2)`; only meaningful for root, so callers ignore EPERM.
    public static func lchown(_ path: String, uid: uid_t, gid: gid_t) -> Bool {
        Glibc.lchown(path, uid, gid) == 0
    }

    /// `utimensat(2)` with `AT_SYMLINK_NOFOLLOW`: sets atime and mtime in nanoseconds.
    public static func setTimes(_ path: String, accessNanoseconds: Int64, modifyNanoseconds: Int64) throws {
        var times = [timespec(tv_sec: Int(accessNanoseconds / 1_000_000_000), tv_nsec: Int(accessNanoseconds % 1_000_000_000)),
                     timespec(tv_sec: Int(modifyNanoseconds / 1_000_000_000), tv_nsec: Int(modifyNanoseconds % 1_000_000_000))]
        if utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) != 0 { throw error("utimensat", path) }
    }

    // MARK: Calls relative to a directory descriptor, never following a link in the last component

    /// `openat(2)`, retried on EINTR: the descriptor, or -1 and the errno.
    public static func openAt(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t = 0o600) -> (fd: Int32, errno: Int32) {
        while true {
            let fd = Glibc.openat(directory, name, flags | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, 0) }
            if errno != EINTR { return (-1, errno) }
        }
    }

    /// `fcntl(F_DUPFD_CLOEXEC)`: a second descriptor for the same open file.
    public static func duplicate(_ fd: Int32, path: String) throws -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        if copy < 0 { throw error("dup", path) }
        return copy
    }

    /// `mkdirat(2)`: 0, or the errno.
    public static func mkdirAt(_ directory: Int32, _ name: String, _ mode: mode_t) -> Int32 {
        Glibc.mkdirat(directory, name, mode) == 0 ? 0 : errno
    }

    /// `fstatat(2)` with `AT_SYMLINK_NOFOLLOW`; nil when there is no such entry.
    public static func statAt(_ directory: Int32, _ name: String, path: String) throws -> stat? {
        var st = stat()
        if fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) == 0 { return st }
        if errno == ENOENT { return nil }
        throw error("lstat", path)
    }

    /// `unlinkat(2)` of a non-directory; a missing entry is not an error.
    public static func unlinkAt(_ directory: Int32, _ name: String, path: String) throws {
        if Glibc.unlinkat(directory, name, 0) != 0 && errno != ENOENT { throw error("unlink", path) }
    }

    /// `symlinkat(2)`
    public static func symlinkAt(_ target: String, _ directory: Int32, _ name: String, path: String) throws {
        if Glibc.symlinkat(target, directory, name) != 0 { throw error("symlink", path) }
    }

    /// `linkat(2)` without `AT_SYMLINK_FOLLOW`: links the entry itself, never what a link points to.
    public static func linkAt(_ fromDirectory: Int32, _ fromName: String, _ toDirectory: Int32, _ toName: String, path: String) throws {
        if Glibc.linkat(fromDirectory, fromName, toDirectory, toName, 0) != 0 { throw error("link", path) }
    }

    /// `readlinkat(2)`
    public static func readlinkAt(_ directory: Int32, _ name: String, path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = Glibc.readlinkat(directory, name, &buffer, 4096)
        if n < 0 { throw error("readlink", path) }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `fchmod(2)`
    public static func fchmod(_ fd: Int32, _ mode: mode_t, path: String) throws {
        if Glibc.fchmod(fd, mode) != 0 { throw error("chmod", path) }
    }

    /// `fchown(2)`; only meaningful for root, so callers ignore failure.
    public static func fchown(_ fd: Int32, uid: uid_t, gid: gid_t) -> Bool {
        Glibc.fchown(fd, uid, gid) == 0
    }

    /// `fchownat(2)` with `AT_SYMLINK_NOFOLLOW` (for symlinks); only meaningful for root.
    public static func fchownAt(_ directory: Int32, _ name: String, uid: uid_t, gid: gid_t) -> Bool {
        Glibc.fchownat(directory, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// `futimens(2)`: sets atime and mtime in nanoseconds on an open file or directory.
    public static func setTimes(_ fd: Int32, accessNanoseconds: Int64, modifyNanoseconds: Int64, path: String) throws {
        var times = timespecs(accessNanoseconds, modifyNanoseconds)
        if futimens(fd, &times) != 0 { throw error("utimensat", path) }
    }

    /// `utimensat(2)` relative to a directory with `AT_SYMLINK_NOFOLLOW` (for symlinks).
    public static func setTimes(_ directory: Int32, _ name: String, accessNanoseconds: Int64, modifyNanoseconds: Int64, path: String) throws {
        var times = timespecs(accessNanoseconds, modifyNanoseconds)
        if utimensat(directory, name, &times, AT_SYMLINK_NOFOLLOW) != 0 { throw error("utimensat", path) }
    }

    private static func timespecs(_ access: Int64, _ modify: Int64) -> [timespec] {
        [timespec(tv_sec: Int(access / 1_000_000_000), tv_nsec: Int(access % 1_000_000_000)),
         timespec(tv_sec: Int(modify / 1_000_000_000), tv_nsec: Int(modify % 1_000_000_000))]
    }

    /// `getpid(2)`
    public static var processID: Int32 { getpid() }

    /// `kill(pid, 0)`: whether a process with that id exists on this host.
    public static func processExists(_ pid: Int32) -> Bool {
        Glibc.kill(pid, 0) == 0 || errno == EPERM
    }

    /// Which incarnation of process `pid` this is: the boot id (`/proc/sys/kernel/random/boot_id`) and the
    /// process's start time in clock ticks since boot (`/proc/PID/stat`, field 22). A lock's pid may have been
    /// reused by another program after a crash; this tells them apart. Nil where /proc does not say.
    public static func processIncarnation(_ pid: Int32) -> String? {
        guard let boot = try? readSmallFile("/proc/sys/kernel/random/boot_id"),
              let stat = try? readSmallFile("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // The command name before ')' may hold spaces; after it, field 3 (state) is the first.
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 19 else { return nil }
        let bootID = String(decoding: boot, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return bootID + ":" + String(decoding: fields[19], as: UTF8.self)
    }

    /// Whether `path` is on a read-only mount (`statvfs(3)`'s ST_RDONLY) or this user may not write it (`access(2)`).
    public static func isReadOnly(_ path: String) -> Bool {
        var st = statvfs()
        if statvfs(path, &st) == 0 && st.f_flag & UInt(ST_RDONLY) != 0 { return true }
        return access(path, W_OK) != 0 && (errno == EROFS || errno == EACCES)
    }

    /// `gethostname(2)`
    public static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(cString: buffer)
    }

    /// `geteuid(2)`
    public static var effectiveUserID: uid_t { geteuid() }

    /// `getpwuid_r(3)`: a user name, or nil.
    public static func userName(_ uid: uid_t) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return String(cString: pwd.pw_name)
    }

    /// `getgrgid_r(3)`: a group name, or nil.
    public static func groupName(_ gid: gid_t) -> String? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return String(cString: grp.gr_name)
    }

    /// `getcwd(3)`
    public static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, 4096) != nil else { return "/" }
        return String(cString: buffer)
    }

    /// SIGINT and SIGTERM, the signals that interrupt kura (`Interruption`).
    public static var interruptSignals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` in seconds.
    public static var monotonicSeconds: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Reads a whole small file.
    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        let size = Int(try fstat(fd, path: path).st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        let n = try bytes.withUnsafeMutableBytes { try readFully(fd, into: $0, path: path) }
        if n < size { bytes.removeSubrange(n...) }
        return bytes
    }

    /// The first 4 KiB of a file whose size `stat` does not tell, such as those under /proc.
    public static func readSmallFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = try bytes.withUnsafeMutableBytes { try readFully(fd, into: $0, path: path) }
        return Array(bytes[..<n])
    }

    /// `count` random bytes from the system generator (`getrandom(2)`, through the standard library's
    /// `SystemRandomNumberGenerator`) as lowercase hex, for names no other process picks (temporary
    /// files). Not for keys: those come from libsodium.
    public static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<count).flatMap { _ -> [Character] in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return [digits[Int(byte >> 4)], digits[Int(byte & 15)]]
        })
    }

    /// Writes a whole file durably: temporary file, fsync, rename, fsync of the directory.
    public static func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws {
        try writeFileAtomically(path, mode: mode) { append in try bytes.withUnsafeBytes { try append($0) } }
    }

    /// As `writeFileAtomically(_:_:mode:)` for content made in pieces: `body` is given a function that appends
    /// bytes to the temporary file, so a large file (the files cache of a million paths) is never whole in memory.
    public static func writeFileAtomically(_ path: String, mode: mode_t = 0o600,
                                           _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let file = try AtomicFileWriter(path, mode: mode)
        try body(file.append)
        try file.commit()
    }

    /// Creates a file that must not exist yet, durably (used for lock files and key slots).
    public static func createFileExclusively(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws {
        let fd = try open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeFully(fd, $0, path: path) }
        try fsync(fd, path: path)
    }
}

#if canImport(Glibc)
/// `prctl(2)`: variadic in <sys/prctl.h>, so Swift does not import it; every argument is an integer,
/// which x86-64 and AArch64 Linux pass the same way to variadic and fixed-argument functions.
@_silgen_name("prctl")
private func glibcPrctl(_ option: Int32, _ arg2: UInt, _ arg3: UInt, _ arg4: UInt, _ arg5: UInt) -> Int32

/// `PR_SET_DUMPABLE` from <linux/prctl.h>, which the Glibc module does not export.
private let prSetDumpable: Int32 = 4

/// glibc's `mallopt` and its `M_MMAP_THRESHOLD` (from <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let mOptionMmapThreshold: Int32 = -3

/// glibc's `malloc_trim` (from <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// Permission bits of files, for the CLI's checks of secret files it reads (a custodian password file must be
/// unreadable by group and others).
public enum FilePermissions {
    /// The file's permission bits (`stat(2)`, following symbolic links), e.g. 0o600; nil if it cannot be stat'ed.
    public static func of(_ path: String) -> UInt32? {
        Posix.statIfExists(path).map { UInt32($0.st_mode) & 0o7777 }
    }
}

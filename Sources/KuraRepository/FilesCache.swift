import Foundation
import KuraCrypto
import KuraSystem

/// Remembers, per repository and host, each backed-up file's size, mtime, ctime and inode with
/// its chunk ids, so an unchanged file is not read again. Kept under
/// `$XDG_CACHE_HOME/kura/REPOSITORY-ID/files` (else `~/.cache/kura/...`): the file 0600, the
/// `kura` and repository directories 0700, since the entries name every backed-up path.
///
/// The file (`FilesCacheBlocks`) holds the entries in the order a backup visits their paths
/// (`FilesCacheWalkOrder`), so a backup reads it a block at a time alongside its walk: what it holds in
/// memory does not grow with the number of files. Once an entry changes, the backup writes the next file
/// as it goes (the old entries it passed, then each entry as it is remembered), and `save` adds the rest
/// and renames it over the old one; when nothing changed, nothing is written. Paths must be looked up and
/// remembered in walk order, as the `Archiver` does: one out of order is not remembered (its file is read
/// again next time). A file in an older format is loaded whole once and rewritten in this one.
public final class FilesCache {
    public struct Entry: Codable, Sendable, Equatable {
        public internal(set) var size: UInt64
        public internal(set) var mtime: Int64
        public internal(set) var ctime: Int64
        public internal(set) var inode: UInt64
        public internal(set) var content: [BlobID]
    }

    private let path: String?
    /// The old entries not yet passed by the walk.
    private var old: FilesCacheCursor?
    /// A new cursor over the old entries from the first (to copy those passed before the first change).
    private let rewind: () -> FilesCacheCursor?
    /// The next file, started at the first change.
    private var next: FilesCacheWriter?
    /// Writing the next file failed (a full disk): the old file stays.
    private var nextFailed = false
    /// Whether this run remembered an entry the file does not already hold.
    private var changed = false
    /// The path last remembered: the next must come after it.
    private var lastRemembered: [UInt8]?
    private var scratch = BinaryWriter()
    private let lock = NSLock()

    private static let legacyMagics = [Array("KURAFC02".utf8), Array("KURAFC01".utf8)]
    private static let fileName = "files"
    /// What kura before the binary format wrote; read once if there is no binary file, removed after a save.
    private static let jsonFileName = "files.json"

    /// A cache that remembers nothing (for `--no-cache`).
    public static var disabled: FilesCache { FilesCache(path: nil, rewind: { nil }) }

    private init(path: String?, rewind: @escaping () -> FilesCacheCursor?, legacy: Bool = false) {
        self.path = path
        self.rewind = rewind
        old = rewind()
        changed = legacy  // written in the current format at the end of this backup
    }

    deinit { next?.abandon() }

    public static func directory(for repository: BlobID) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        return base + "/kura/" + repository.hex
    }

    /// Makes `CACHE/kura/REPOSITORY-ID` (its parent as needed; `kura` and the repository's directory 0700).
    static func makeCacheDirectory(_ directory: String) throws {
        let kuraDirectory = (directory as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: (kuraDirectory as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Posix.makeOwnerOnlyDirectory(kuraDirectory)
        try Posix.makeOwnerOnlyDirectory(directory)
    }

    public static func load(repository: BlobID) -> FilesCache {
        load(path: directory(for: repository) + "/" + fileName)
    }

    /// The cache kept in the file at `path` (tests and `kura-fuzz` name their own). Saving it makes the file's
    /// directory and the one above it owner-only (0700), as for `CACHE/kura/REPOSITORY-ID/files`.
    public static func load(path: String) -> FilesCache {
        removeAbandonedNextFiles(of: path)
        if let fd = try? Posix.open(path, O_RDONLY) {
            let file = FilesCacheReader.OpenFile(fd: fd, size: (try? Posix.fstat(fd, path: path)).map { Int($0.st_size) } ?? 0, path: path)
            var magic = [UInt8](repeating: 0, count: FilesCacheBlocks.magic.count)
            let read = file.size >= magic.count
                && (try? magic.withUnsafeMutableBytes { try Posix.preadFully(fd, into: $0, offset: 0, path: path) }) != nil
            if read && magic == FilesCacheBlocks.magic {
                return FilesCache(path: path, rewind: { FilesCacheReader(file: file) })
            }
            if read && legacyMagics.contains(magic), let bytes = try? Posix.readFile(path), let entries = entries(of: bytes) {
                let sorted = FilesCacheEntriesCursor(entries)
                return FilesCache(path: path, rewind: { sorted.rewound() }, legacy: true)
            }
            return FilesCache(path: path, rewind: { nil })
        }
        let json = (path as NSString).deletingLastPathComponent + "/" + jsonFileName
        guard let data = FileManager.default.contents(atPath: json),
              let decoded = try? JSONDecoder().decode([String: Entry].self, from: data) else {
            return FilesCache(path: path, rewind: { nil })
        }
        let entries = FilesCacheEntries()
        for (path, entry) in decoded { entries.add(path, entry) }
        let sorted = FilesCacheEntriesCursor(entries)
        return FilesCache(path: path, rewind: { sorted.rewound() }, legacy: true)
    }

    /// A backup killed outright (SIGKILL, a power cut) leaves its `files.tmp-*` behind; one untouched for a
    /// day belongs to no running backup (each writes its file a megabyte at a time, and renames it at the end).
    static func removeAbandonedNextFiles(of path: String, olderThan seconds: Int = 86_400) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".tmp-"
        guard let names = try? Posix.listDirectory(directory) else { return }
        let now = Int(Date().timeIntervalSince1970)
        for name in names where name.hasPrefix(prefix) {
            let stale = directory + "/" + name
            if let st = try? Posix.lstat(stale), st.st_mode & S_IFMT == S_IFREG, now - Int(st.st_mtim.tv_sec) > seconds {
                try? Posix.unlink(stale)
            }
        }
    }

    /// How many files the cache remembers (before this run's), read through from the first entry.
    var count: Int { rewind()?.countRemaining() ?? 0 }

    /// Every entry of the file a backup would use, in walk order, read through from the first (`kura-fuzz`).
    public func entries() -> [(path: String, entry: Entry)] {
        guard let cursor = rewind() else { return [] }
        var out: [(path: String, entry: Entry)] = []
        while let e = cursor.current {
            out.append((String(decoding: FilesCacheEntries.path(e, at: 0), as: UTF8.self), FilesCacheEntries.decode(e, at: 0)))
            cursor.advance()
        }
        return out
    }

    /// The chunk ids of `path` when its metadata is unchanged and every chunk is still stored.
    public func lookup(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, isStored: (BlobID) -> Bool) -> [BlobID]? {
        lock.lock()
        defer { lock.unlock() }
        guard let old else { return nil }
        let found: FilesCache.Entry? = FilesCacheEntries.withPathBytes(path) { key in
            pass(before: key)
            guard let e = old.current, FilesCacheWalkOrder.compare(FilesCacheEntries.path(e, at: 0), key) == 0 else { return nil }
            return FilesCacheEntries.decode(e, at: 0)
        }
        guard let e = found, e.size == size, e.mtime == mtime, e.ctime == ctime, e.inode == inode,
              e.content.allSatisfy(isStored) else { return nil }
        return e.content
    }

    /// Remembers `path`'s metadata and chunk ids for the next backup; paths must come in walk order.
    public func remember(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, content: [BlobID]) {
        guard self.path != nil else { return }
        lock.lock()
        defer { lock.unlock() }
        scratch.out.removeAll(keepingCapacity: true)
        FilesCacheEntries.encode(path, Entry(size: size, mtime: mtime, ctime: ctime, inode: inode, content: content), into: &scratch)
        FilesCacheEntries.withPathBytes(path) { key in
            if let lastRemembered, lastRemembered.withUnsafeBytes({ FilesCacheWalkOrder.compare($0, key) }) >= 0 { return }
            lastRemembered = Array(key)
            pass(before: key)
            var held = false, same = false
            if let old, let e = old.current, FilesCacheWalkOrder.compare(FilesCacheEntries.path(e, at: 0), key) == 0 {
                held = true
                same = e.elementsEqual(scratch.out)
            }
            if !same {
                changed = true
                if next == nil { startNext() }  // copies the old entries before this path, not its old entry
            }
            if held { old?.advance() }
            scratch.out.withUnsafeBytes { write($0) }
        }
    }

    /// Moves the old entries' cursor to the first path at or after `key`, keeping those it passes.
    private func pass(before key: UnsafeRawBufferPointer) {
        guard let old else { return }
        while let e = old.current, FilesCacheWalkOrder.compare(FilesCacheEntries.path(e, at: 0), key) < 0 {
            write(e)
            old.advance()
        }
    }

    /// Adds an entry to the next file, if one is being written.
    private func write(_ entry: UnsafeRawBufferPointer) {
        guard let next, !nextFailed else { return }
        do {
            try next.append(entry)
        } catch {
            giveUpSaving()
        }
    }

    private func giveUpSaving() {
        nextFailed = true
        next?.abandon()
        next = nil
    }

    /// Opens the next file with the old entries passed so far: those before the one the cursor is at.
    private func startNext() {
        guard !nextFailed, let path else { return }
        do {
            try Self.makeCacheDirectory((path as NSString).deletingLastPathComponent)
            let writer = try FilesCacheWriter(path)
            let boundary = old?.current.map { Array(FilesCacheEntries.path($0, at: 0)) }
            if let copy = rewind() {
                while let e = copy.current {
                    if let boundary, boundary.withUnsafeBytes({ FilesCacheWalkOrder.compare(FilesCacheEntries.path(e, at: 0), $0) }) >= 0 {
                        break
                    }
                    try writer.append(e)
                    copy.advance()
                }
            }
            next = writer
        } catch {
            giveUpSaving()
        }
    }

    /// Saves this run's entries with the old ones (entries of paths not visited this time are kept, so
    /// backups of different paths share one cache); nothing is written when no entry changed.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        defer { reset() }
        guard path != nil, changed else { return }
        if next == nil { startNext() }
        if let old {
            while let e = old.current { write(e); old.advance() }
        }
        guard !nextFailed, let file = next else { return }
        next = nil
        if (try? file.commit()) != nil, let path {
            try? Posix.unlink((path as NSString).deletingLastPathComponent + "/" + Self.jsonFileName)
        }
    }

    /// Discards what this run remembered: the old file stays (a dry run, a failed backup).
    public func discard() {
        lock.lock()
        defer { lock.unlock() }
        reset()
    }

    private func reset() {
        next?.abandon()
        next = nil
        old = nil
        changed = false
        lastRemembered = nil
    }

    /// The whole file for `entries` (tests): what `save` writes when every entry is new.
    static func encode(_ entries: [String: Entry]) -> [UInt8] {
        final class Bytes { var out: [UInt8] = [] }
        let bytes = Bytes()
        let writer = try! FilesCacheWriter(output: { bytes.out.append(contentsOf: $0) })
        let sorted = entries.sorted { FilesCacheWalkOrder.compare(Array($0.key.utf8), Array($1.key.utf8)) < 0 }
        var w = BinaryWriter()
        for (path, entry) in sorted {
            w.out.removeAll(keepingCapacity: true)
            FilesCacheEntries.encode(path, entry, into: &w)
            try! w.out.withUnsafeBytes(writer.append)
        }
        try! writer.commit()
        return bytes.out
    }

    /// The entries of a file in an older binary format (`KURAFC02`, `KURAFC01`), or nil when it is not one or does not check.
    static func entries(of bytes: [UInt8]) -> FilesCacheEntries? {
        let body = bytes.count - 32
        guard body >= 16,
              bytes.withUnsafeBytes({ Blake2b.hash256(UnsafeRawBufferPointer(rebasing: $0[..<body])) }) == Array(bytes[body...]) else {
            return nil
        }
        let head = Array(bytes[..<8])
        let countAt: Int, entries: Range<Int>
        switch head {
        case legacyMagics[0]: (countAt, entries) = (body - 8, 8..<(body - 8))
        case legacyMagics[1]: (countAt, entries) = (8, 16..<body)
        default: return nil
        }
        let count = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: countAt, as: UInt64.self)) }
        guard count <= UInt64(body) else { return nil }
        return FilesCacheEntries(file: bytes, body: entries, expected: Int(count))
    }

    /// Every entry of a whole, good cache file by path, in any format (tests).
    static func decode(_ bytes: [UInt8]) throws -> [String: Entry] {
        var out: [String: Entry] = [:]
        func add(_ entry: UnsafeRawBufferPointer) {
            out[String(decoding: FilesCacheEntries.path(entry, at: 0), as: UTF8.self)] = FilesCacheEntries.decode(entry, at: 0)
        }
        if let reader = FilesCacheReader(bytes: bytes) {
            while let e = reader.current { add(e); reader.advance() }
            guard reader.isComplete else { throw BinaryReader.Damaged() }
            return out
        }
        guard let table = entries(of: bytes) else { throw BinaryReader.Damaged() }
        table.forEachEntry { add($0) }
        return out
    }
}

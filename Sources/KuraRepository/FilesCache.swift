import Foundation
import KuraCrypto
import KuraSystem

/// Remembers, per repository and host, each backed-up file's size, mtime, ctime and inode with
/// its chunk ids, so an unchanged file is not read again. Kept under
/// `$XDG_CACHE_HOME/kura/REPOSITORY-ID/files` (else `~/.cache/kura/...`): the file 0600, the
/// `kura` and repository directories 0700, since the entries name every backed-up path.
///
/// The file is binary (`"KURAFC02"`, the entries, their count, then the BLAKE2b-256 of what precedes it;
/// `"KURAFC01"` put the count first and is still read): a backup of 1,000,000 files loads it whole at start,
/// and JSON cost seconds there. A file that does not check is ignored (every file is read again). It is
/// rewritten only when an entry changed, and the entries that changed go to the new file as the backup
/// remembers them, so they are not all held in memory until the end.
public final class FilesCache {
    public struct Entry: Codable, Sendable, Equatable {
        var size: UInt64
        var mtime: Int64
        var ctime: Int64
        var inode: UInt64
        var content: [BlobID]
    }

    private let path: String?
    private var old: FilesCacheEntries
    /// Locations in `old` of the entries this run replaced.
    private var replaced = Set<Int>()
    /// The next file, holding this run's changed entries so far (opened with the first one).
    private var next: AtomicFileWriter?
    private var nextBuffer = BinaryWriter()
    private var nextHasher = Blake2bHasher()
    private var nextEntries = 0
    /// Writing the next file failed (a full disk): the old file stays.
    private var nextFailed = false
    /// Whether this run remembered an entry the file does not already hold.
    private var changed = false
    private let lock = NSLock()

    private static let magic = Array("KURAFC02".utf8)
    private static let countFirstMagic = Array("KURAFC01".utf8)
    private static let fileName = "files"
    /// What kura before the binary format wrote; read once if there is no binary file, removed after a save.
    private static let jsonFileName = "files.json"

    /// A cache that remembers nothing (for `--no-cache`).
    public static var disabled: FilesCache { FilesCache(path: nil, entries: FilesCacheEntries()) }

    private init(path: String?, entries: FilesCacheEntries) {
        self.path = path
        old = entries
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

    /// The cache kept in the file at `path` (tests name their own).
    static func load(path: String) -> FilesCache {
        removeAbandonedNextFiles(of: path)
        if let bytes = try? Posix.readFile(path) {
            return FilesCache(path: path, entries: entries(of: bytes) ?? FilesCacheEntries())
        }
        let json = (path as NSString).deletingLastPathComponent + "/" + jsonFileName
        guard let data = FileManager.default.contents(atPath: json),
              let decoded = try? JSONDecoder().decode([String: Entry].self, from: data) else {
            return FilesCache(path: path, entries: FilesCacheEntries())
        }
        let entries = FilesCacheEntries()
        for (path, entry) in decoded { entries.add(path, entry) }
        let cache = FilesCache(path: path, entries: entries)
        cache.changed = true  // written in the new format at the end of this backup
        return cache
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

    /// How many files the cache remembers (before this run's).
    var count: Int { old.count }

    /// The chunk ids of `path` when its metadata is unchanged and every chunk is still stored.
    func lookup(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, isStored: (BlobID) -> Bool) -> [BlobID]? {
        guard let e = old.entry(path), e.size == size, e.mtime == mtime, e.ctime == ctime, e.inode == inode,
              e.content.allSatisfy(isStored) else { return nil }
        return e.content
    }

    func remember(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, content: [BlobID]) {
        guard self.path != nil else { return }
        let entry = Entry(size: size, mtime: mtime, ctime: ctime, inode: inode, content: content)
        let location = old.location(path)
        if let location, old.entry(at: location) == entry { return }
        lock.lock()
        defer { lock.unlock() }
        if let location { replaced.insert(location) }
        changed = true
        Self.encode(path, entry, into: &nextBuffer)
        nextEntries += 1
        if nextBuffer.out.count >= 1 << 20 { flushNext() }
    }

    /// Sends the buffered entries to the next file (opening it first); a failure gives up on saving.
    private func flushNext() {
        defer { nextBuffer.out.removeAll(keepingCapacity: true) }
        guard !nextFailed, let path else { return }
        do {
            if next == nil {
                try Self.makeCacheDirectory((path as NSString).deletingLastPathComponent)
                let file = try AtomicFileWriter(path)
                try Self.magic.withUnsafeBytes(file.append)
                nextHasher.update(Self.magic)
                next = file
            }
            nextHasher.update(nextBuffer.out)
            try nextBuffer.out.withUnsafeBytes(next!.append)
        } catch {
            nextFailed = true
            next?.abandon()
            next = nil
        }
    }

    /// Saves this run's entries over the old ones (entries of paths not visited this time are kept,
    /// so backups of different paths share one cache); nothing is written when no entry changed.
    /// The changed entries are in the next file already; the old ones kept follow them, a megabyte at a time.
    public func save() {
        guard path != nil, changed else { return }
        lock.lock()
        defer { lock.unlock() }
        var kept = 0
        old.forEachEntry(skipping: replaced) { entry in
            nextBuffer.out.append(contentsOf: entry)
            kept += 1
            if nextBuffer.out.count >= 1 << 20 { flushNext() }
        }
        nextBuffer.integer(UInt64(nextEntries + kept))
        flushNext()
        if !nextFailed, let file = next {
            let digest = nextHasher.finalize()
            let committed: Void? = try? { try digest.withUnsafeBytes(file.append); try file.commit() }()
            if committed != nil, let path {
                try? Posix.unlink((path as NSString).deletingLastPathComponent + "/" + Self.jsonFileName)
            }
        }
        next?.abandon()
        next = nil
        old = FilesCacheEntries()
        replaced = []
        nextEntries = 0
        changed = false
    }

    /// Discards what this run remembered: the old file stays (a dry run, a failed backup).
    public func discard() {
        lock.lock()
        defer { lock.unlock() }
        next?.abandon()
        next = nil
        nextBuffer.out.removeAll()
        changed = false
    }

    static func encode(_ path: String, _ entry: Entry, into w: inout BinaryWriter) {
        FilesCacheEntries.encode(path, entry, into: &w)
    }

    /// The whole file for `entries` (tests): what `save` writes when every entry is new.
    static func encode(_ entries: [String: Entry]) -> [UInt8] {
        var w = BinaryWriter()
        w.bytes(magic)
        for (path, entry) in entries { encode(path, entry, into: &w) }
        w.integer(UInt64(entries.count))
        return w.out + Blake2b.hash256(w.out)
    }

    /// The entries of a cache file, or nil when it is not one or does not check.
    static func entries(of bytes: [UInt8]) -> FilesCacheEntries? {
        let body = bytes.count - 32
        guard body >= magic.count + 8,
              bytes.withUnsafeBytes({ Blake2b.hash256(UnsafeRawBufferPointer(rebasing: $0[..<body])) }) == Array(bytes[body...]) else {
            return nil
        }
        let head = Array(bytes[..<magic.count])
        let countAt: Int, entries: Range<Int>
        switch head {
        case magic: (countAt, entries) = (body - 8, magic.count..<(body - 8))
        case countFirstMagic: (countAt, entries) = (magic.count, (magic.count + 8)..<body)
        default: return nil
        }
        let count = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: countAt, as: UInt64.self)) }
        guard count <= UInt64(body) else { return nil }
        return FilesCacheEntries(file: bytes, body: entries, expected: Int(count))
    }

    /// Every entry of a cache file by path (tests).
    static func decode(_ bytes: [UInt8]) throws -> [String: Entry] {
        guard let table = entries(of: bytes) else { throw BinaryReader.Damaged() }
        var out: [String: Entry] = [:]
        table.forEachEntry { entry in
            out[String(decoding: FilesCacheEntries.path(entry, at: 0), as: UTF8.self)] = FilesCacheEntries.decode(entry, at: 0)
        }
        return out
    }
}

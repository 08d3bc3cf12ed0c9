import Foundation
import KuraCrypto
import KuraSystem

/// Remembers, per repository and host, each backed-up file's size, mtime, ctime and inode with
/// its chunk ids, so an unchanged file is not read again. Kept under
/// `$XDG_CACHE_HOME/kura/REPOSITORY-ID/files` (else `~/.cache/kura/...`): the file 0600, the
/// `kura` and repository directories 0700, since the entries name every backed-up path.
///
/// The file is binary (`"KURAFC01"`, the entries, then the BLAKE2b-256 of what precedes it): a backup of
/// 1,000,000 files loads it whole at start, and JSON cost seconds there. A file that does not check is
/// ignored (every file is read again). It is rewritten only when an entry changed.
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
    private var new = FilesCacheEntries()
    /// Whether this run remembered an entry the file does not already hold.
    private var changed = false
    private let lock = NSLock()

    private static let magic = Array("KURAFC01".utf8)
    private static let fileName = "files"
    /// What kura before the binary format wrote; read once if there is no binary file, removed after a save.
    private static let jsonFileName = "files.json"

    /// A cache that remembers nothing (for `--no-cache`).
    public static var disabled: FilesCache { FilesCache(path: nil, entries: FilesCacheEntries()) }

    private init(path: String?, entries: FilesCacheEntries) {
        self.path = path
        old = entries
    }

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

    /// How many files the cache remembers (before this run's).
    var count: Int { old.count }

    /// The chunk ids of `path` when its metadata is unchanged and every chunk is still stored.
    func lookup(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, isStored: (BlobID) -> Bool) -> [BlobID]? {
        guard let e = old.entry(path), e.size == size, e.mtime == mtime, e.ctime == ctime, e.inode == inode,
              e.content.allSatisfy(isStored) else { return nil }
        return e.content
    }

    func remember(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, content: [BlobID]) {
        let entry = Entry(size: size, mtime: mtime, ctime: ctime, inode: inode, content: content)
        let same = old.entry(path) == entry
        lock.lock()
        if !same {
            new.add(path, entry)
            changed = true
        }
        lock.unlock()
    }

    /// Saves this run's entries over the old ones (entries of paths not visited this time are kept,
    /// so backups of different paths share one cache); nothing is written when no entry changed.
    /// Written a megabyte at a time from the entries' own bytes: at a million paths a whole document in
    /// memory cost over a gigabyte (bench/scale).
    public func save() {
        guard let path, changed else { return }
        let directory = (path as NSString).deletingLastPathComponent
        guard (try? Self.makeCacheDirectory(directory)) != nil else { return }
        let written: Void? = try? Posix.writeFileAtomically(path) { append in try Self.write(old: old, new: new, to: append) }
        old = FilesCacheEntries()
        new = FilesCacheEntries()
        if written != nil { try? Posix.unlink(directory + "/" + Self.jsonFileName) }
    }

    /// The whole file for `entries` (tests; `save` writes the same bytes in pieces).
    static func encode(_ entries: [String: Entry]) -> [UInt8] {
        let table = FilesCacheEntries()
        for (path, entry) in entries { table.add(path, entry) }
        var out: [UInt8] = []
        try? write(old: FilesCacheEntries(), new: table) { out.append(contentsOf: $0) }
        return out
    }

    /// `"KURAFC01"`, the count, the entries of `old` that `new` does not replace, those of `new`, and the
    /// BLAKE2b-256 of all that, handed to `append` in pieces of about a megabyte.
    static func write(old: FilesCacheEntries, new: FilesCacheEntries,
                      to append: (UnsafeRawBufferPointer) throws -> Void) throws {
        var kept = 0
        old.forEachEntry(skipping: new.contains(pathBytes:)) { _ in kept += 1 }
        var out: [UInt8] = []
        out.reserveCapacity((1 << 20) + 4096)
        var hasher = Blake2bHasher()
        func flush() throws {
            hasher.update(out)
            try out.withUnsafeBytes(append)
            out.removeAll(keepingCapacity: true)
        }
        out.append(contentsOf: magic)
        withUnsafeBytes(of: UInt64(kept + new.count).littleEndian) { out.append(contentsOf: $0) }
        func entry(_ bytes: UnsafeRawBufferPointer) throws {
            out.append(contentsOf: bytes)
            if out.count >= 1 << 20 { try flush() }
        }
        try old.forEachEntry(skipping: new.contains(pathBytes:), entry)
        try new.forEachEntry(skipping: { _ in false }, entry)
        try flush()
        try hasher.finalize().withUnsafeBytes(append)
    }

    /// The entries of a cache file, or nil when it is not one or does not check.
    static func entries(of bytes: [UInt8]) -> FilesCacheEntries? {
        let body = bytes.count - 32
        guard body >= magic.count + 8, Array(bytes[..<magic.count]) == magic,
              bytes.withUnsafeBytes({ Blake2b.hash256(UnsafeRawBufferPointer(rebasing: $0[..<body])) }) == Array(bytes[body...]) else {
            return nil
        }
        let count = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: magic.count, as: UInt64.self)) }
        guard count <= UInt64(body) else { return nil }
        return FilesCacheEntries(file: bytes, body: (magic.count + 8)..<body, expected: Int(count))
    }

    /// Every entry of a cache file by path (tests).
    static func decode(_ bytes: [UInt8]) throws -> [String: Entry] {
        guard let table = entries(of: bytes) else { throw BinaryReader.Damaged() }
        var out: [String: Entry] = [:]
        table.forEachEntry(skipping: { _ in false }) { entry in
            out[String(decoding: FilesCacheEntries.path(entry, at: 0), as: UTF8.self)] = FilesCacheEntries.decode(entry, at: 0)
        }
        return out
    }
}

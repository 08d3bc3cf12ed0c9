import Foundation
import KuraCrypto
import KuraSystem

/// Remembers, per repository and host, each backed-up file's size, mtime, ctime and inode with
/// its chunk ids, so an unchanged file is not read again. Kept under
/// `$XDG_CACHE_HOME/kura/REPOSITORY-ID/files.json` (else `~/.cache/kura/...`): the file 0600, the
/// `kura` and repository directories 0700, since the entries name every backed-up path.
public final class FilesCache {
    public struct Entry: Codable, Sendable {
        var size: UInt64
        var mtime: Int64
        var ctime: Int64
        var inode: UInt64
        var content: [BlobID]
    }

    private let path: String?
    private var old: [String: Entry]
    private var new: [String: Entry] = [:]
    private let lock = NSLock()

    /// A cache that remembers nothing (for `--no-cache`).
    public static var disabled: FilesCache { FilesCache(path: nil, entries: [:]) }

    private init(path: String?, entries: [String: Entry]) {
        self.path = path
        old = entries
    }

    public static func directory(for repository: BlobID) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        return base + "/kura/" + repository.hex
    }

    public static func load(repository: BlobID) -> FilesCache {
        let path = directory(for: repository) + "/files.json"
        guard let data = FileManager.default.contents(atPath: path),
              let entries = try? JSONDecoder().decode([String: Entry].self, from: data) else {
            return FilesCache(path: path, entries: [:])
        }
        return FilesCache(path: path, entries: entries)
    }

    /// The chunk ids of `path` when its metadata is unchanged and every chunk is still stored.
    func lookup(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, isStored: (BlobID) -> Bool) -> [BlobID]? {
        guard let e = old[path], e.size == size, e.mtime == mtime, e.ctime == ctime, e.inode == inode,
              e.content.allSatisfy(isStored) else { return nil }
        return e.content
    }

    func remember(_ path: String, size: UInt64, mtime: Int64, ctime: Int64, inode: UInt64, content: [BlobID]) {
        lock.lock()
        new[path] = Entry(size: size, mtime: mtime, ctime: ctime, inode: inode, content: content)
        lock.unlock()
    }

    /// Saves this run's entries over the old ones (entries of paths not visited this time are kept,
    /// so backups of different paths share one cache).
    public func save() {
        guard let path, !new.isEmpty else { return }
        var merged = old
        merged.merge(new) { $1 }
        let directory = (path as NSString).deletingLastPathComponent
        let kuraDirectory = (directory as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: (kuraDirectory as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard (try? Posix.makeOwnerOnlyDirectory(kuraDirectory)) != nil,
              (try? Posix.makeOwnerOnlyDirectory(directory)) != nil else { return }
        if let data = try? JSONEncoder().encode(merged) {
            try? Posix.writeFileAtomically(path, Array(data))
        }
    }
}

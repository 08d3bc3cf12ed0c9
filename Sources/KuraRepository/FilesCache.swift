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
        load(path: directory(for: repository) + "/files.json")
    }

    static func load(path: String) -> FilesCache {
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
        let directory = (path as NSString).deletingLastPathComponent
        let kuraDirectory = (directory as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: (kuraDirectory as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard (try? Posix.makeOwnerOnlyDirectory(kuraDirectory)) != nil,
              (try? Posix.makeOwnerOnlyDirectory(directory)) != nil else { return }
        try? Posix.writeFileAtomically(path) { append in
            try Self.writeJSON(old.lazy.filter { self.new[$0.key] == nil }, new, to: append)
        }
    }

    /// Writes the entries as the JSON object `load` reads (what JSONEncoder wrote before), a megabyte at a time:
    /// JSONEncoder built the whole document in memory, a tree of values and then its bytes, after a merged copy of
    /// the dictionaries; at a million paths that was over a gigabyte of peak memory and most of a backup's CPU.
    static func writeJSON<Kept: Sequence>(_ kept: Kept, _ new: [String: Entry],
                                          to append: (UnsafeRawBufferPointer) throws -> Void) throws
        where Kept.Element == (key: String, value: Entry) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20 + 4096)
        out.append(UInt8(ascii: "{"))
        var first = true
        func entry(_ path: String, _ e: Entry) throws {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendString(path, to: &out)
            out.append(contentsOf: #":{"content":["#.utf8)
            for (i, id) in e.content.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: id.hex.utf8)
                out.append(UInt8(ascii: "\""))
            }
            out.append(contentsOf: "],\"ctime\":\(e.ctime),\"inode\":\(e.inode),\"mtime\":\(e.mtime),\"size\":\(e.size)}".utf8)
            if out.count >= 1 << 20 {
                try out.withUnsafeBytes(append)
                out.removeAll(keepingCapacity: true)
            }
        }
        for (path, e) in kept { try entry(path, e) }
        for (path, e) in new { try entry(path, e) }
        out.append(UInt8(ascii: "}"))
        try out.withUnsafeBytes(append)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quote, backslash and control characters escaped, everything else as its UTF-8.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 15)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

import Foundation
import KuraCrypto
import KuraSystem

/// The snapshots this host has already opened, by object id and size, so that listing 10,000 snapshots does not
/// unseal (X25519), decrypt and decode 10,000 objects and parse their times each time. Kept next to the files
/// cache (`$XDG_CACHE_HOME/kura/REPOSITORY-ID/snapshots`, file 0600).
///
/// Never trusted over the repository: an entry is used only for an object that `list` shows under the same id
/// and size and whose bytes still hash to that id (`Repository.readSnapshots` reads them again), so a snapshot
/// another host wrote, one forgotten, or one damaged in place is opened, dropped or reported as without the
/// cache. The file is
/// `"KURASC01" || XChaCha20-Poly1305(key, entries)` with the key derived from the repository's X25519 secret key, so
/// only a full key reads or writes it, and a damaged or foreign file fails authentication and is ignored.
public struct SnapshotCache: Sendable {
    public struct Entry: Sendable {
        public var size: Int64
        public var snapshot: Snapshot
    }

    public let path: String
    private static let magic = Array("KURASC01".utf8)
    private static let associatedData = Array("kura snapshot cache".utf8)

    public init(path: String) {
        self.path = path
    }

    /// The cache of `repository` under the user's cache directory (where the files cache is).
    public static func standard(for repository: BlobID) -> SnapshotCache {
        SnapshotCache(path: FilesCache.directory(for: repository) + "/snapshots")
    }

    /// The cached entries, or none when the file is missing, damaged or sealed under another key.
    func load(key: MasterKey) -> [BlobID: Entry] {
        guard let secretKey = key.secretKey, let bytes = try? Posix.readFile(path),
              bytes.count > Self.magic.count, Array(bytes[..<Self.magic.count]) == Self.magic,
              let plain = try? AEAD.open(Array(bytes[Self.magic.count...]), key: Self.fileKey(secretKey),
                                         associatedData: Self.associatedData + key.repository.bytes),
              let entries = try? Self.decode(plain) else { return [:] }
        return entries
    }

    /// Replaces the file with `entries`, atomically; a failure only means the next listing reads more.
    func save(_ entries: [BlobID: Entry], key: MasterKey) {
        guard let secretKey = key.secretKey else { return }
        let directory = (path as NSString).deletingLastPathComponent
        guard (try? FilesCache.makeCacheDirectory(directory)) != nil,
              let sealed = try? AEAD.seal(Self.encode(entries), key: Self.fileKey(secretKey),
                                          associatedData: Self.associatedData + key.repository.bytes) else { return }
        try? Posix.writeFileAtomically(path, Self.magic + sealed)
    }

    private static func fileKey(_ secretKey: [UInt8]) -> [UInt8] {
        Blake2b.hash256(Array("kura snapshot cache key".utf8), key: secretKey)
    }

    // MARK: Encoding
    //
    // Every field of `Snapshot`, in order, binary: a listing must not pay for JSON and ISO 8601 parsing either.
    // A field added to `Snapshot` must be added here and the magic's version raised.

    static func encode(_ entries: [BlobID: Entry]) -> [UInt8] {
        var w = BinaryWriter()
        w.integer(UInt64(entries.count))
        for (id, entry) in entries.sorted(by: { $0.key < $1.key }) {
            let s = entry.snapshot
            w.id(id)
            w.integer(UInt64(bitPattern: entry.size))
            w.integer(s.time.timeIntervalSinceReferenceDate.bitPattern)
            w.string(s.hostname)
            w.string(s.username)
            w.strings(s.paths)
            w.strings(s.tags)
            w.id(s.tree)
            w.string(s.program)
            if let m = s.summary {
                w.integer(1)
                for n in [m.files, m.directories, Int(m.bytesRead), Int(m.bytesNew), Int(m.bytesStored), m.unreadable] {
                    w.integer(UInt64(bitPattern: Int64(n)))
                }
                w.integer(m.duration.bitPattern)
            } else {
                w.integer(0)
            }
            if let origin = s.copiedFrom {
                w.integer(1)
                w.string(origin.repository)
                w.string(origin.snapshot)
            } else {
                w.integer(0)
            }
        }
        return w.out
    }

    static func decode(_ bytes: [UInt8]) throws -> [BlobID: Entry] {
        var r = BinaryReader(bytes)
        let count = try r.count(minimumSize: 64)
        var entries: [BlobID: Entry] = [:]
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let id = try r.id()
            let size = Int64(bitPattern: try r.integer())
            let time = Date(timeIntervalSinceReferenceDate: Double(bitPattern: try r.integer()))
            let hostname = try r.string(), username = try r.string()
            let paths = try r.strings(), tags = try r.strings()
            let tree = try r.id()
            let program = try r.string()
            var summary: Snapshot.Summary?
            switch try r.integer() {
            case 0: summary = nil
            case 1:
                var n: [Int] = []
                for _ in 0..<6 { n.append(Int(Int64(bitPattern: try r.integer()))) }
                summary = Snapshot.Summary(files: n[0], directories: n[1], bytesRead: Int64(n[2]), bytesNew: Int64(n[3]),
                                           bytesStored: Int64(n[4]), unreadable: n[5], duration: Double(bitPattern: try r.integer()))
            default: throw BinaryReader.Damaged()
            }
            var origin: Snapshot.Origin?
            switch try r.integer() {
            case 0: origin = nil
            case 1: origin = Snapshot.Origin(repository: try r.string(), snapshot: try r.string())
            default: throw BinaryReader.Damaged()
            }
            entries[id] = Entry(size: size, snapshot: Snapshot(time: time, hostname: hostname, username: username, paths: paths,
                                                               tags: tags, tree: tree, program: program, summary: summary,
                                                               copiedFrom: origin))
        }
        guard r.isAtEnd else { throw BinaryReader.Damaged() }
        return entries
    }
}

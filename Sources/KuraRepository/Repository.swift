import Foundation
import KuraCrypto
import KuraSystem
import KuraStorage

/// An opened repository: its backend, configuration and the master key a key slot gave.
public final class Repository: Sendable {
    /// Where its objects are; the repository reaches them through nothing else.
    public let backend: any Backend
    public let config: RepositoryConfig
    public let key: MasterKey
    /// The key slot the password opened.
    public let keySlotID: String
    /// Hex BLAKE2b-256 of the config file as read, recorded in every key slot this repository writes.
    let configChecksum: String
    /// Told of each damaged file that is skipped (an index file, a key slot, a snapshot) so that the rest can be
    /// used; the CLI prints these as warnings.
    public let warn: @Sendable (String) -> Void
    /// Where `snapshots()` keeps the snapshots it has opened (`using(_:)`); none unless asked for.
    public let snapshotCache: SnapshotCache?

    /// Where the repository is, as the user named it.
    public var path: String { backend.location }
    public var id: BlobID { config.id }
    public var isWriteOnly: Bool { key.kind == .writeOnly }

    private init(backend: any Backend, config: RepositoryConfig, key: MasterKey, keySlotID: String, configChecksum: String,
                 warn: @escaping @Sendable (String) -> Void, snapshotCache: SnapshotCache? = nil) {
        self.backend = backend
        self.config = config
        self.key = key
        self.keySlotID = keySlotID
        self.configChecksum = configChecksum
        self.warn = warn
        self.snapshotCache = snapshotCache
    }

    /// The same repository, listing its snapshots through `cache`.
    public func using(_ cache: SnapshotCache) -> Repository {
        Repository(backend: backend, config: config, key: key, keySlotID: keySlotID, configChecksum: configChecksum, warn: warn,
                   snapshotCache: cache)
    }

    /// Reads `config`; throws `.repositoryNotFound` when there is none.
    public static func readConfig(at path: String) throws -> RepositoryConfig {
        try readConfig(from: LocalBackend(root: path))
    }

    public static func readConfig(from backend: any Backend) throws -> RepositoryConfig {
        try readConfigFile(backend).config
    }

    static func readConfigFile(_ backend: any Backend) throws -> (config: RepositoryConfig, checksum: String) {
        let bytes: [UInt8]
        do {
            bytes = try backend.load(.config)
        } catch {
            // `catch let error as StorageError where …` on a typed throw sends the -O optimizer into a loop (Swift 6.3).
            guard error.code == .notFound else { throw error }
            throw RepositoryError(.repositoryNotFound, "no repository at \(backend.location) (no config file there); create one with 'kura init'")
        }
        do {
            return (try JSONDecoder().decode(RepositoryConfig.self, from: Data(bytes)), Hex.encode(Blake2b.hash256(bytes)))
        } catch {
            throw RepositoryError(.damaged, "config damaged: \(backend.describe(.config)) is not a kura repository config (it does not decode); "
                + "copy it back from a medium's set or another copy of the repository")
        }
    }

    /// Creates a repository with a new master key and one full key slot under `password`.
    @discardableResult
    public static func initialize(at path: String, password: String, chunker: RepositoryConfig.Chunker = .default,
                                  compressionLevel: Int32 = 3, packSize: Int = 16 << 20,
                                  chunkID: ChunkIDFunction = .newRepositoryDefault) throws -> Repository {
        try initialize(backend: LocalBackend(root: path), password: password, chunker: chunker, compressionLevel: compressionLevel,
                       packSize: packSize, chunkID: chunkID)
    }

    /// Creates a repository in an empty place with a new master key and one full key slot under `password`.
    @discardableResult
    public static func initialize(backend: any Backend, password: String, chunker: RepositoryConfig.Chunker = .default,
                                  compressionLevel: Int32 = 3, packSize: Int = 16 << 20,
                                  chunkID: ChunkIDFunction = .newRepositoryDefault) throws -> Repository {
        let path = backend.location
        if !(backend is LocalBackend) {
            // A bucket must exist before it can be listed; a directory is made only after it was found empty.
            try backend.create()
        }
        if try backend.stat(.config) != nil {
            throw RepositoryError(.repositoryExists, "a repository already exists at \(path)")
        }
        if let local = backend as? LocalBackend {
            if let entries = try? Posix.listDirectory(local.root), !entries.isEmpty {
                throw RepositoryError(.repositoryExists, "\(path) is not empty; kura init wants a new or empty directory")
            }
        } else {
            for kind in ObjectKind.allCases where kind != .config {
                if try backend.list(kind).isEmpty { continue }
                throw RepositoryError(.repositoryExists, "\(path) is not empty (it has \(kind.rawValue) objects); kura init wants a new or empty place")
            }
        }
        guard (1 << 20)...(48 << 20) ~= packSize else {
            throw RepositoryError(.invalidArgument, "a pack size must be between 1 MiB and 48 MiB")
        }
        let config = RepositoryConfig(id: BlobID(RandomBytes.generate(32)), chunker: chunker, compressionLevel: compressionLevel,
                                      packSize: packSize, chunkID: chunkID)
        _ = try Chunker(parameters: chunker, gearSeed: RandomBytes.generate(32))
        try backend.create()
        let key = MasterKey.generate(repository: config.id)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let configBytes = Array(try encoder.encode(config)) + [10]
        let checksum = Hex.encode(Blake2b.hash256(configBytes))
        let slotID = try writeKeySlot(KeySlot.seal(key, password: password, config: checksum), backend: backend)
        try backend.save(.config, configBytes)
        return Repository(backend: backend, config: config, key: key.using(chunkID), keySlotID: slotID, configChecksum: checksum,
                          warn: { _ in })
    }

    /// Opens the repository with the first key slot `password` unlocks. A damaged key slot is reported through
    /// `warn` and skipped; config is checked against the checksum the key slots record, so that a changed byte
    /// in it says "config damaged" rather than "wrong password".
    public static func open(at path: String, password: String, warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> Repository {
        try open(backend: LocalBackend(root: path), password: password, warn: warn)
    }

    public static func open(backend: any Backend, password: String, warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> Repository {
        let path = backend.location
        let (config, checksum) = try readConfigFile(backend)
        let (slots, damaged) = try readKeySlots(backend: backend)
        for (name, problem) in damaged {
            warn("key slot keys/\(name) is damaged (\(problem)); skipped: the other key slots are tried")
        }
        let recorded = Set(slots.compactMap(\.slot.config))
        if !recorded.isEmpty && !recorded.contains(checksum) {
            throw RepositoryError(.damaged, "config damaged: \(backend.describe(.config)) does not match the checksum its key slots record "
                + "(a changed byte); copy it back from a medium's set or another copy of the repository")
        }
        guard config.version == RepositoryConfig.currentVersion else {
            throw RepositoryError(.damaged, "repository format version \(config.version) is not supported (this kura reads \(RepositoryConfig.currentVersion))")
        }
        guard config.chunker.algorithm == RepositoryConfig.Chunker.default.algorithm, config.compression.algorithm == "zstd",
              (1 << 20)...(48 << 20) ~= config.packSize, config.chunker.maxSize <= 8 << 20 else {
            throw RepositoryError(.damaged, "\(path)/config names a chunker, compression or pack size this kura does not support")
        }
        let chunkID = try ChunkIDFunction.named(config.chunkID, in: path)
        for (slotID, slot) in slots where slot.kdf.algorithm == "argon2id13" {
            if let key = try slot.open(password: password, repository: config.id) {
                return Repository(backend: backend, config: config, key: key.using(chunkID), keySlotID: slotID, configChecksum: checksum,
                                  warn: warn)
            }
        }
        throw RepositoryError(.wrongPassword, "wrong password: no key slot of \(path) opens with it"
            + (damaged.isEmpty ? "" : " (\(damaged.count) damaged key slot\(damaged.count == 1 ? " was" : "s were") skipped)"))
    }

    // MARK: Key slots

    /// The key slots that decode and check out, and the names of those that do not, with why.
    static func readKeySlots(backend: any Backend) throws -> (slots: [(id: String, slot: KeySlot)], damaged: [(id: String, problem: String)]) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetTime
        var slots: [(id: String, slot: KeySlot)] = []
        var damaged: [(id: String, problem: String)] = []
        for name in try backend.list(.keys).map(\.name).sorted() {
            let slot: KeySlot
            do {
                slot = try decoder.decode(KeySlot.self, from: Data(try backend.load(.key(name))))
            } catch {
                damaged.append((name, "it does not decode"))
                continue
            }
            if let problem = slot.damage {
                damaged.append((name, problem))
            } else {
                slots.append((name, slot))
            }
        }
        return (slots, damaged)
    }

    /// The key slots that check out; each damaged one is reported through `warn` and left out.
    func keySlotsWarning() throws -> [(String, KeySlot)] {
        let (slots, damaged) = try Self.readKeySlots(backend: backend)
        for (name, problem) in damaged { warn("key slot keys/\(name) is damaged (\(problem)); skipped") }
        return slots.map { ($0.id, $0.slot) }
    }

    /// Key slots that do not decode or whose checksum does not match, with why.
    public func damagedKeySlots() throws -> [(id: String, problem: String)] {
        try Self.readKeySlots(backend: backend).damaged
    }

    @discardableResult
    static func writeKeySlot(_ slot: KeySlot, backend: any Backend) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .internetTime
        let id = Hex.encode(RandomBytes.generate(32))
        try backend.save(.key(id), Array(try encoder.encode(slot)) + [10])
        return id
    }

    public func keySlots() throws -> [(id: String, slot: KeySlot)] {
        try keySlotsWarning().map { (id: $0.0, slot: $0.1) }
    }

    /// The key slot files as they are on disk, for copying to a medium.
    public func keySlotFiles(kind: MasterKey.Kind? = nil) throws -> [(id: String, bytes: [UInt8])] {
        try keySlots().filter { kind == nil || $0.slot.kind == kind }.map { ($0.id, try backend.load(.key($0.id))) }
    }

    /// Adds a key slot for `password`; a write-only slot holds the master key without its X25519 secret.
    public func addKey(password: String, writeOnly: Bool) throws -> String {
        let material = writeOnly ? key.writeOnly : key
        return try Self.writeKeySlot(KeySlot.seal(material, password: password, config: configChecksum), backend: backend)
    }

    /// Throws `.writeOnlyKey` unless the key in use is a full key. A write-only key adds packs, index files,
    /// snapshots and write-only key slots, and nothing else: the host holding it may be compromised.
    public func requireFullKey(to action: String) throws {
        guard isWriteOnly else { return }
        throw RepositoryError(.writeOnlyKey, "key \(keySlotID.prefix(8)) is write-only: it can add backups but cannot \(action); use a full key")
    }

    /// Removes a key slot; never the last full one, never the one in use. Needs a full key.
    public func removeKey(_ prefix: String) throws {
        try requireFullKey(to: "remove key slots")
        let (slots, damaged) = try Self.readKeySlots(backend: backend)
        let damagedMatches = damaged.filter { $0.id.hasPrefix(prefix) }
        let matches = slots.filter { $0.id.hasPrefix(prefix) }
        if damagedMatches.count == 1 && matches.isEmpty, let target = damagedMatches.first {
            // A damaged slot opens with no password: removing it takes nothing away.
            try backend.remove(.key(target.id))
            return
        }
        guard matches.count == 1 && damagedMatches.isEmpty, let target = matches.first else {
            throw RepositoryError(.invalidArgument, matches.isEmpty && damagedMatches.isEmpty ? "no key slot \(prefix)" : "key id \(prefix) is ambiguous")
        }
        if target.id == keySlotID {
            throw RepositoryError(.invalidArgument, "key \(target.id.prefix(8)) is the one in use; open the repository with another key to remove it")
        }
        if target.slot.kind == .full && slots.filter({ $0.slot.kind == .full }).count <= 1 {
            throw RepositoryError(.lastFullKey, "key \(target.id.prefix(8)) is the last full key; it cannot be removed")
        }
        try backend.remove(.key(target.id))
    }

    /// Replaces the key slot in use with one under `newPassword`.
    public func changePassword(to newPassword: String) throws -> String {
        try requireFullKey(to: "change key slots (add a new write-only key with 'kura key add --write-only' instead)")
        let newID = try Self.writeKeySlot(KeySlot.seal(key, password: newPassword, config: configChecksum), backend: backend)
        try backend.remove(.key(keySlotID))
        return newID
    }

    // MARK: Locks

    /// `retry`: seconds to keep trying while another process holds a conflicting lock.
    public func lock(exclusive: Bool, operation: String, retry: TimeInterval = 0) throws -> RepositoryLock {
        try RepositoryLock.acquire(backend: backend, exclusive: exclusive, operation: operation, retry: retry)
    }

    /// Whether locks cannot be written here: a read-only mount, or no write permission.
    public var isReadOnly: Bool { backend.isReadOnly }

    /// Removes stale locks, or every lock with `all` (full key only); returns how many were removed.
    /// A write-only key removes only stale locks taken on this host: other hosts' locks are not its own.
    public func removeLocks(all: Bool) throws -> Int {
        if all {
            try requireFullKey(to: "remove other processes' locks")
            let names = try backend.list(.locks).map(\.name)
            for name in names { try backend.remove(.lock(name)) }
            return names.count
        }
        return RepositoryLock.removeStale(backend: backend, onlyFromHost: isWriteOnly ? Posix.hostname : nil).removed
    }

    // MARK: Index

    /// The index as the index files say, with each damaged index file reported through `warn` and skipped, and
    /// the blobs of the packs no intact index file covers read again from the packs' own headers (full key only).
    /// A large index is kept on disk in the cache directory (`IndexCacheFile`), not in memory.
    public func loadIndex() throws -> MasterIndex {
        try MasterIndex.load(backend: backend, key: key, cacheDirectory: FilesCache.directory(for: id), warn: warn)
    }

    // MARK: Snapshots

    public func snapshotIDs() throws -> [BlobID] {
        try backend.ids(.snapshots)
    }

    public func loadSnapshot(_ id: BlobID) throws -> Snapshot {
        try readSnapshotObject(id).snapshot
    }

    /// The snapshot stored under `id`, checked against its name, and the size of its object.
    private func readSnapshotObject(_ id: BlobID) throws -> (snapshot: Snapshot, size: Int64) {
        let bytes = try backend.load(.snapshot(id))
        guard BlobID.ofFile(bytes) == id else { throw RepositoryError(.damaged, "snapshot file snapshots/\(id) is damaged: it does not match its name") }
        do {
            return (try Snapshot.open(bytes, key: key), Int64(bytes.count))
        } catch let error as RepositoryError where error.code == .damaged {
            throw RepositoryError(.damaged, "snapshot file snapshots/\(id) is damaged: \(error.message)")
        }
    }

    /// Every snapshot that reads, oldest first, and the ids of those that do not, with why. With a cache (`cache`,
    /// else `snapshotCache`), a snapshot listed under an id and size the cache holds, and whose object still hashes
    /// to its id, is taken from it and every other one is read and opened; the cache is rewritten only when what it
    /// holds changes (a new snapshot, a forgotten one). A damaged snapshot is never cached or taken from the cache,
    /// so it is reported every time, as without a cache.
    public func readSnapshots(cache: SnapshotCache? = nil) throws -> (entries: [SnapshotEntry], damaged: [(id: BlobID, problem: RepositoryError)]) {
        guard !isWriteOnly else { throw RepositoryError.writeOnly }
        let cache = cache ?? snapshotCache
        let listed = try backend.objects(.snapshots)
        let cached = cache?.load(key: key) ?? [:]
        var kept: [BlobID: SnapshotCache.Entry] = [:]
        var read = 0
        var entries: [SnapshotEntry] = []
        var damaged: [(id: BlobID, problem: RepositoryError)] = []
        entries.reserveCapacity(listed.count)
        for (id, size) in listed {
            do {
                if let hit = cached[id], hit.size == size {
                    // Re-checked, not trusted: the object must still hash to its name (a byte changed in place
                    // keeps the size). What the cache saves is unsealing, decrypting and decoding it.
                    let bytes = try backend.load(.snapshot(id))
                    guard BlobID.ofFile(bytes) == id else {
                        throw RepositoryError(.damaged, "snapshot file snapshots/\(id) is damaged: it does not match its name")
                    }
                    entries.append(SnapshotEntry(id: id, snapshot: hit.snapshot))
                    kept[id] = hit
                    continue
                }
                let (snapshot, stored) = try readSnapshotObject(id)
                entries.append(SnapshotEntry(id: id, snapshot: snapshot))
                kept[id] = SnapshotCache.Entry(size: stored, snapshot: snapshot)
                read += 1
            } catch let error as RepositoryError where error.code == .damaged {
                damaged.append((id, error))
            }
        }
        if let cache, read > 0 || kept.count != cached.count {
            cache.save(kept, key: key)
        }
        return (entries.sorted { $0.snapshot.time < $1.snapshot.time }, damaged)
    }

    /// Every snapshot that reads, oldest first; each damaged snapshot file is reported through `warn` and skipped.
    public func snapshots() throws -> [SnapshotEntry] {
        let (entries, damaged) = try readSnapshots()
        for (_, error) in damaged {
            warn("\(error.message); skipped (kura repair snapshots --forget removes it)")
        }
        return entries
    }

    /// `latest`, or a unique prefix of a snapshot id.
    public func resolveSnapshot(_ name: String) throws -> SnapshotEntry {
        guard !isWriteOnly else { throw RepositoryError.writeOnly }
        if name == "latest" {
            let all = try snapshots()
            let now = Date()
            guard let last = all.last(where: { !$0.isFutureDated(now: now) }) else {
                let future = all.count
                throw RepositoryError(.snapshotNotFound, future == 0 ? "the repository has no snapshots"
                    : "the repository has no snapshots but \(future) dated in the future, which are never 'latest'; name one by id")
            }
            return last
        }
        let matches = try snapshotIDs().filter { $0.hex.hasPrefix(name.lowercased()) }
        guard !name.isEmpty, let first = matches.first else { throw RepositoryError(.snapshotNotFound, "no snapshot \(name)") }
        guard matches.count == 1 else {
            throw RepositoryError(.invalidArgument, "snapshot id \(name) is ambiguous: it starts \(matches.count) snapshots")
        }
        return SnapshotEntry(id: first, snapshot: try loadSnapshot(first))
    }

    func saveSnapshot(_ snapshot: Snapshot) throws -> BlobID {
        // The commit point: an interrupted backup never commits, even if its command happened to exit 0.
        Interruption.yieldIfInterrupted()
        let bytes = try snapshot.seal(publicKey: key.publicKey)
        let id = BlobID.ofFile(bytes)
        try backend.save(.snapshot(id), bytes)
        return id
    }
}

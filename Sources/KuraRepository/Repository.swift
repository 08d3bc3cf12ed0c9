import Foundation
import KuraCrypto

/// An opened repository: its layout, configuration and the master key a key slot gave.
public final class Repository {
    let layout: RepositoryLayout
    public let config: RepositoryConfig
    public let key: MasterKey
    /// The key slot the password opened.
    public let keySlotID: String

    public var path: String { layout.root }
    public var id: BlobID { config.id }
    public var isWriteOnly: Bool { key.kind == .writeOnly }

    private init(layout: RepositoryLayout, config: RepositoryConfig, key: MasterKey, keySlotID: String) {
        self.layout = layout
        self.config = config
        self.key = key
        self.keySlotID = keySlotID
    }

    /// Reads `config`; throws `.repositoryNotFound` when there is none.
    public static func readConfig(at path: String) throws -> RepositoryConfig {
        let layout = RepositoryLayout(root: path)
        guard Posix.statIfExists(layout.configPath) != nil else {
            throw RepositoryError(.repositoryNotFound, "no repository at \(path) (no config file there); create one with 'kura init'")
        }
        do {
            return try JSONDecoder().decode(RepositoryConfig.self, from: Data(try Posix.readFile(layout.configPath)))
        } catch let error as RepositoryError {
            throw error
        } catch {
            throw RepositoryError(.damaged, "\(layout.configPath) is not a kura repository config")
        }
    }

    /// Creates a repository with a new master key and one full key slot under `password`.
    @discardableResult
    public static func initialize(at path: String, password: String, chunker: RepositoryConfig.Chunker = .default,
                                  compressionLevel: Int32 = 3) throws -> Repository {
        let layout = RepositoryLayout(root: path)
        if Posix.statIfExists(layout.configPath) != nil {
            throw RepositoryError(.repositoryExists, "a repository already exists at \(path)")
        }
        if let entries = try? Posix.listDirectory(path), !entries.isEmpty {
            throw RepositoryError(.repositoryExists, "\(path) is not empty; kura init wants a new or empty directory")
        }
        let config = RepositoryConfig(id: BlobID(RandomBytes.generate(32)), chunker: chunker, compressionLevel: compressionLevel)
        _ = try Chunker(parameters: chunker, gearSeed: RandomBytes.generate(32))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for dir in [layout.keysDirectory, layout.dataDirectory, layout.indexDirectory, layout.snapshotsDirectory, layout.locksDirectory] {
            try Posix.mkdir(dir)
        }
        let key = MasterKey.generate(repository: config.id)
        let slotID = try writeKeySlot(KeySlot.seal(key, password: password), layout: layout)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Posix.writeFileAtomically(layout.configPath, Array(try encoder.encode(config)) + [10], mode: 0o644)
        return Repository(layout: layout, config: config, key: key, keySlotID: slotID)
    }

    /// Opens the repository with the first key slot `password` unlocks.
    public static func open(at path: String, password: String) throws -> Repository {
        let config = try readConfig(at: path)
        guard config.version == RepositoryConfig.currentVersion else {
            throw RepositoryError(.damaged, "repository format version \(config.version) is not supported (this kura reads \(RepositoryConfig.currentVersion))")
        }
        guard config.chunker.algorithm == RepositoryConfig.Chunker.default.algorithm, config.compression.algorithm == "zstd",
              (1 << 20)...(48 << 20) ~= config.packSize, config.chunker.maxSize <= 8 << 20 else {
            throw RepositoryError(.damaged, "\(path)/config names a chunker, compression or pack size this kura does not support")
        }
        let layout = RepositoryLayout(root: path)
        for (slotID, slot) in try keySlots(layout: layout) where slot.kdf.algorithm == "argon2id13" {
            if let key = try slot.open(password: password, repository: config.id) {
                return Repository(layout: layout, config: config, key: key, keySlotID: slotID)
            }
        }
        throw RepositoryError(.wrongPassword, "wrong password: no key slot of \(path) opens with it")
    }

    // MARK: Key slots

    static func keySlots(layout: RepositoryLayout) throws -> [(String, KeySlot)] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try Posix.listDirectory(layout.keysDirectory).filter { !$0.contains(".tmp-") }.map { name in
            do {
                return (name, try decoder.decode(KeySlot.self, from: Data(try Posix.readFile(layout.keyPath(name)))))
            } catch {
                throw RepositoryError(.damaged, "key slot \(name) does not decode")
            }
        }
    }

    @discardableResult
    static func writeKeySlot(_ slot: KeySlot, layout: RepositoryLayout) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let id = Hex.encode(RandomBytes.generate(32))
        try Posix.writeFileAtomically(layout.keyPath(id), Array(try encoder.encode(slot)) + [10])
        return id
    }

    public func keySlots() throws -> [(id: String, slot: KeySlot)] {
        try Self.keySlots(layout: layout).map { (id: $0.0, slot: $0.1) }
    }

    /// The key slot files as they are on disk, for copying to a medium.
    public func keySlotFiles(kind: MasterKey.Kind? = nil) throws -> [(id: String, bytes: [UInt8])] {
        try keySlots().filter { kind == nil || $0.slot.kind == kind }.map { ($0.id, try Posix.readFile(layout.keyPath($0.id))) }
    }

    /// Adds a key slot for `password`; a write-only slot holds the master key without its X25519 secret.
    public func addKey(password: String, writeOnly: Bool) throws -> String {
        let material = writeOnly ? key.writeOnly : key
        return try Self.writeKeySlot(KeySlot.seal(material, password: password), layout: layout)
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
        let slots = try keySlots()
        let matches = slots.filter { $0.id.hasPrefix(prefix) }
        guard matches.count == 1, let target = matches.first else {
            throw RepositoryError(.invalidArgument, matches.isEmpty ? "no key slot \(prefix)" : "key id \(prefix) is ambiguous")
        }
        if target.id == keySlotID {
            throw RepositoryError(.invalidArgument, "key \(target.id.prefix(8)) is the one in use; open the repository with another key to remove it")
        }
        if target.slot.kind == .full && slots.filter({ $0.slot.kind == .full }).count <= 1 {
            throw RepositoryError(.lastFullKey, "key \(target.id.prefix(8)) is the last full key; it cannot be removed")
        }
        try Posix.unlink(layout.keyPath(target.id))
        try Posix.fsyncDirectory(layout.keysDirectory)
    }

    /// Replaces the key slot in use with one under `newPassword`.
    public func changePassword(to newPassword: String) throws -> String {
        try requireFullKey(to: "change key slots (add a new write-only key with 'kura key add --write-only' instead)")
        let newID = try Self.writeKeySlot(KeySlot.seal(key, password: newPassword), layout: layout)
        try Posix.unlink(layout.keyPath(keySlotID))
        try Posix.fsyncDirectory(layout.keysDirectory)
        return newID
    }

    // MARK: Locks

    /// `retry`: seconds to keep trying while another process holds a conflicting lock.
    public func lock(exclusive: Bool, operation: String, retry: TimeInterval = 0) throws -> RepositoryLock {
        try RepositoryLock.acquire(layout: layout, exclusive: exclusive, operation: operation, retry: retry)
    }

    /// Whether locks cannot be written here: a read-only mount, or no write permission.
    public var isReadOnly: Bool { Posix.isReadOnly(layout.locksDirectory) }

    /// Removes stale locks, or every lock with `all` (full key only); returns how many were removed.
    /// A write-only key removes only stale locks taken on this host: other hosts' locks are not its own.
    public func removeLocks(all: Bool) throws -> Int {
        if all {
            try requireFullKey(to: "remove other processes' locks")
            let names = try Posix.listDirectory(layout.locksDirectory)
            for name in names { try Posix.unlink(layout.lockPath(name)) }
            return names.count
        }
        return RepositoryLock.removeStale(layout: layout, onlyFromHost: isWriteOnly ? Posix.hostname : nil).removed
    }

    // MARK: Index

    public func loadIndex() throws -> MasterIndex {
        try MasterIndex.load(layout: layout, key: key)
    }

    // MARK: Snapshots

    public func snapshotIDs() throws -> [BlobID] {
        try layout.ids(in: layout.snapshotsDirectory)
    }

    public func loadSnapshot(_ id: BlobID) throws -> Snapshot {
        let bytes = try Posix.readFile(layout.snapshotPath(id))
        guard BlobID.ofFile(bytes) == id else { throw RepositoryError(.damaged, "snapshot file \(id) does not match its name") }
        do {
            return try Snapshot.open(bytes, key: key)
        } catch let error as RepositoryError where error.code == .damaged {
            throw RepositoryError(.damaged, "snapshot \(id.short): \(error.message)")
        }
    }

    /// Every snapshot, oldest first.
    public func snapshots() throws -> [SnapshotEntry] {
        guard !isWriteOnly else { throw RepositoryError.writeOnly }
        return try snapshotIDs().map { SnapshotEntry(id: $0, snapshot: try loadSnapshot($0)) }
            .sorted { $0.snapshot.time < $1.snapshot.time }
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
        try Posix.writeFileAtomically(layout.snapshotPath(id), bytes)
        return id
    }
}

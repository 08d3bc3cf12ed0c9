import Foundation
import KuraCompression
import KuraCrypto
import KuraStorage

/// What writing snapshots to a medium needs from the repository: the snapshot files, the packs
/// their blobs live in (in the order a restore first needs them), the tree blobs separately so a
/// reader gets every listing before any data, and an index file covering just those packs.
public struct ExportPlan {
    public struct TreeBlobs {
        public var pack: BlobID
        /// The tree entries of that pack, by offset.
        public var entries: [PackEntry]
    }

    public var snapshots: [(id: BlobID, bytes: [UInt8])]
    public var packs: [(id: BlobID, size: Int)]
    public var trees: [TreeBlobs]
    /// An index file (encrypted under the index key) for exactly `packs`.
    public var indexFile: [UInt8]
    /// Paths or stream names the snapshots back up.
    public var sources: [String]

    public var packBytes: Int { packs.reduce(0) { $0 + $1.size } }
}

extension Repository {
    public func configFileBytes() throws -> [UInt8] { try backend.load(.config) }

    /// Streams a pack's bytes to `body` in ranged loads of at most `piece` bytes (a medium's set is
    /// written from any backend without a copy of the pack on local disk). Throws `.damaged` when the
    /// pack is missing or not `size` bytes long.
    public func streamPack(_ pack: BlobID, size: Int, piece: Int = 8 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let files = PackFiles(backend: backend)
        guard try files.size(pack) == size else { throw RepositoryError(.damaged, "pack \(pack) changed size while being written") }
        var buffer = [UInt8](repeating: 0, count: min(piece, size))
        var offset = 0
        while offset < size {
            let count = min(buffer.count, size - offset)
            try buffer.withUnsafeMutableBytes { all in
                let part = UnsafeMutableRawBufferPointer(rebasing: all[..<count])
                try files.read(pack, into: part, offset: offset)
                try body(UnsafeRawBufferPointer(part))
            }
            offset += count
        }
    }

    /// Plans the export of `snapshots` (needs a full key: the trees are walked).
    public func planExport(_ snapshots: [SnapshotEntry], index: MasterIndex) throws -> ExportPlan {
        let loader = try BlobLoader(repository: self, index: index)
        var packOrder: [BlobID] = []
        var seenPacks = Set<BlobID>()
        var treeEntries: [BlobID: [PackEntry]] = [:]
        var seenTrees = Set<BlobID>()
        var seenData = Set<BlobID>()

        func use(_ id: BlobID, isTree: Bool) throws {
            guard let (pack, entry) = index.lookup(id) else {
                throw RepositoryError(.damaged, "blob \(id.short) is not in the index; run kura check")
            }
            if isTree { treeEntries[pack, default: []].append(entry) }
            if seenPacks.insert(pack).inserted { packOrder.append(pack) }
        }
        func walk(_ tree: BlobID) throws {
            guard seenTrees.insert(tree).inserted else { return }
            try use(tree, isTree: true)
            for node in try loader.loadTree(tree).nodes {
                if let subtree = node.subtree { try walk(subtree) }
                for blob in node.content ?? [] where seenData.insert(blob).inserted { try use(blob, isTree: false) }
            }
        }
        var files: [(BlobID, [UInt8])] = []
        var sources: [String] = []
        for entry in snapshots {
            try walk(entry.snapshot.tree)
            files.append((entry.id, try backend.load(.snapshot(entry.id))))
            for path in entry.snapshot.paths where !sources.contains(path) { sources.append(path) }
        }
        let byPack = try index.entriesByPack(only: seenPacks)
        var packs: [(id: BlobID, size: Int)] = []
        for pack in packOrder {
            guard let info = try backend.stat(.pack(pack)) else {
                throw RepositoryError(.damaged, "pack \(pack) is missing; run kura check")
            }
            packs.append((pack, Int(info.size)))
        }
        let indexFile = try IndexFile(packs: packOrder.map { ($0, byPack[$0] ?? []) }).encode(key: key)
        // Every tree blob of a pack travels, not only those these snapshots use: a reader splits the
        // trees/ entry by the index's tree entries for that pack, so both must list the same blobs.
        let trees = packOrder.compactMap { pack -> ExportPlan.TreeBlobs? in
            guard treeEntries[pack] != nil else { return nil }
            let all = (byPack[pack] ?? []).filter { $0.type == .tree }.sorted { $0.offset < $1.offset }
            return ExportPlan.TreeBlobs(pack: pack, entries: all)
        }
        return ExportPlan(snapshots: files, packs: packs, trees: trees, indexFile: indexFile, sources: sources)
    }

    /// The first bytes of a pack (magic and sealed pack key) followed by the stored bytes of the
    /// given blobs, in order: how tree blobs travel ahead of the packs on a medium.
    public func extractBlobs(_ entries: [PackEntry], of pack: BlobID) throws -> [UInt8] {
        let files = PackFiles(backend: backend)
        // The index may be forged (a write-only host writes index files): checked before allocating.
        let size = try files.size(pack)
        if let outside = entries.first(where: { Int($0.offset) + Int($0.length) > size }) {
            throw RepositoryError(.damaged, "pack \(pack): blob \(outside.id.short) lies outside the pack; run kura check")
        }
        var out = [UInt8](repeating: 0, count: PackFormat.blobsOffset + entries.reduce(0) { $0 + Int($1.length) })
        try out.withUnsafeMutableBytes { buffer in
            try files.read(pack, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<PackFormat.blobsOffset]), offset: 0)
            var position = PackFormat.blobsOffset
            for e in entries {
                let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[position..<(position + Int(e.length))])
                try files.read(pack, into: slice, offset: Int(e.offset))
                position += Int(e.length)
            }
        }
        return out
    }
}

extension MasterIndex {

    /// An index read from an index file's bytes (e.g. from a medium), checked against `key`.
    public static func decode(indexFile bytes: [UInt8], key: MasterKey) throws -> MasterIndex {
        let file = try IndexFile.decode(bytes, key: key)
        let index = MasterIndex()
        for (pack, entries) in file.packs { index.add(pack: pack, entries: entries) }
        return index
    }

    /// The entries of one pack.
    public func entries(of pack: BlobID) throws -> [PackEntry] {
        try entriesByPack(only: [pack])[pack] ?? []
    }
}

extension Snapshot {
    /// Opens a sealed snapshot file's bytes (from a medium) with a full key.
    public static func open(file bytes: [UInt8], id: BlobID, key: MasterKey) throws -> Snapshot {
        guard BlobID.ofFile(bytes) == id else { throw RepositoryError(.damaged, "snapshot file \(id.short) does not match its name") }
        return try open(bytes, key: key)
    }
}

extension KeySlot {
    /// A key slot from its JSON file bytes.
    public static func decode(_ bytes: [UInt8]) throws -> KeySlot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetTime
        do {
            return try decoder.decode(KeySlot.self, from: Data(bytes))
        } catch {
            throw RepositoryError(.damaged, "key slot does not decode")
        }
    }
}

/// Decrypts, decompresses and verifies blobs read from anywhere (a pack streamed off a tape),
/// with the pack's first bytes for its key. Safe to use from several threads.
public final class BlobDecoder {
    private let key: MasterKey
    private let decompressors = ObjectPool { try ZstdDecompressor() }

    public init(key: MasterKey) throws {
        _ = try key.requireSecretKey()
        self.key = key
    }

    /// Unseals the pack key from a pack's first `PackFormat.blobsOffset` bytes.
    public func packKey(head: ArraySlice<UInt8>, pack: BlobID) throws -> [UInt8] {
        guard head.count >= PackFormat.blobsOffset, Array(head.prefix(8)) == PackFormat.magic else {
            throw RepositoryError(.damaged, "pack \(pack) has no pack magic")
        }
        do {
            return try Array(head.dropFirst(8).prefix(PackFormat.sealedKeyLength)).withUnsafeBytes {
                try SealedBox.open($0, publicKey: key.publicKey, secretKey: try key.requireSecretKey())
            }
        } catch {
            throw RepositoryError(.damaged, "pack \(pack): its pack key does not unseal (damaged, or sealed to another repository)")
        }
    }

    public func decode(_ sealed: [UInt8], entry: PackEntry, pack: BlobID, packKey: [UInt8]) throws -> [UInt8] {
        try decompressors.with { try PackReader.decode(sealed: sealed, entry: entry, pack: pack, packKey: packKey, key: key, decompressor: $0) }
    }

    /// Tree blobs decode to listings.
    public func decodeTree(_ bytes: [UInt8], id: BlobID) throws -> Tree {
        try Tree.decode(bytes, id: id)
    }
}

extension MasterKey {
    /// A 32-byte key for `purpose` (BLAKE2b-256 of it keyed with the X25519 secret key): only a
    /// full key can make it, so what it seals or authenticates a write-only host cannot forge.
    public func derivedKey(for purpose: String) throws -> [UInt8] {
        Blake2b.hash256(Array(purpose.utf8), key: try requireSecretKey())
    }
}

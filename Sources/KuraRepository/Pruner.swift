import Foundation
import Glibc
import KuraCompression
import KuraCrypto
import KuraSystem
import KuraStorage

/// Removes what no snapshot uses: packs with no used blob are deleted, packs whose unused share is above the
/// limit have their used blobs copied into new packs, and one new set of index files replaces all the old ones.
///
/// The order makes a crash at any moment harmless (man kura-repository(5), PRUNING): new packs first (unindexed
/// until step 3, so `check` only warns about them), then the new index files, the last of which supersedes every
/// index file that existed when prune began, and only then the deletion of old packs and old index files. Until
/// the superseding index file is durable the old index is authoritative and every pack it names still exists;
/// after that the new index is, and it names only packs that are kept or new.
///
/// Memory is bounded by the index (the used-blob set and the entries of every pack); blobs are streamed one at a
/// time through one open pack.
public final class Pruner {
    public struct Options: Sendable {
        /// A pack whose unused bytes are more than this fraction of its blob bytes is repacked (restic's default 5 %).
        public var maxUnused: Double
        public var dryRun: Bool
        /// Temporary files (`data/.tmp-*`, `index/*.tmp-*`, `snapshots/*.tmp-*`) older than this are removed.
        public var temporaryFileAge: TimeInterval

        public init(maxUnused: Double = 0.05, dryRun: Bool = false, temporaryFileAge: TimeInterval = 86_400) {
            self.maxUnused = maxUnused
            self.dryRun = dryRun
            self.temporaryFileAge = temporaryFileAge
        }
    }

    public struct Report: Codable, Sendable {
        public var dryRun = false
        public var snapshots = 0
        public var usedBlobs = 0
        public var packsBefore = 0
        public var packsAfter = 0
        /// Packs no used blob is in.
        public var packsDeleted = 0
        /// Partly used packs whose used blobs were copied into new packs.
        public var packsRepacked = 0
        public var packsWritten = 0
        /// Packs in no index file (left by an interrupted backup or prune), deleted.
        public var unindexedPacksDeleted = 0
        /// Indexed packs that were missing and held nothing used; the new index no longer names them.
        public var missingPacksDropped = 0
        public var indexFilesBefore = 0
        public var indexFilesWritten = 0
        public var indexFilesDeleted = 0
        public var temporaryFilesRemoved = 0
        /// Bytes of pack files before and after (after is an estimate in a dry run).
        public var bytesBefore: Int64 = 0
        public var bytesAfter: Int64 = 0
        /// Bytes of blobs no snapshot uses, before, and left in kept packs after.
        public var unusedBytesBefore: Int64 = 0
        public var unusedBytesAfter: Int64 = 0

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run", snapshots, usedBlobs = "used_blobs", packsBefore = "packs_before", packsAfter = "packs_after",
                 packsDeleted = "packs_deleted", packsRepacked = "packs_repacked", packsWritten = "packs_written",
                 unindexedPacksDeleted = "unindexed_packs_deleted", missingPacksDropped = "missing_packs_dropped",
                 indexFilesBefore = "index_files_before", indexFilesWritten = "index_files_written",
                 indexFilesDeleted = "index_files_deleted", temporaryFilesRemoved = "temporary_files_removed",
                 bytesBefore = "bytes_before", bytesAfter = "bytes_after", unusedBytesBefore = "unused_bytes_before",
                 unusedBytesAfter = "unused_bytes_after"
        }
    }

    /// A new index file lists at most this many packs.
    static let packsPerIndexFile = 256

    private let repository: Repository
    private var backend: any Backend { repository.backend }
    /// Called after every step that changes the repository (and a few before), with a short description.
    /// The CLI's test hook `KURA_TEST_KILL_AT` counts these.
    public var onStep: ((String) throws -> Void)?

    public init(repository: Repository) {
        self.repository = repository
    }

    private func step(_ what: String) throws { try onStep?(what) }

    public func run(_ options: Options) throws -> Report {
        try repository.requireFullKey(to: "prune")
        var report = Report(dryRun: options.dryRun)
        try step("started")

        let local = backend as? LocalBackend
        let temporary = try staleTemporaryFiles(olderThan: options.temporaryFileAge)
        report.temporaryFilesRemoved = temporary.count
        if !options.dryRun, let local {
            for path in temporary {
                try local.removeLeftover(path)
                try step("removed temporary file \(path.dropFirst(local.root.count + 1))")
            }
        }

        let index = try IndexState(backend: backend, key: repository.key)
        report.indexFilesBefore = index.fileIDs.count
        let used = try usedBlobs(index: index.master, report: &report)
        try step("found \(used.count) used blobs in \(report.snapshots) snapshots")

        var plan = try PrunePlan(index: index, used: used, onDisk: try packSizes(), maxUnused: options.maxUnused)
        report.packsBefore = plan.sizes.count
        report.bytesBefore = plan.sizes.values.reduce(0, +)
        report.unusedBytesBefore = plan.unusedBytesBefore
        report.unusedBytesAfter = plan.unusedBytesKept
        report.packsDeleted = plan.delete.count
        report.packsRepacked = plan.repack.count
        report.unindexedPacksDeleted = plan.unindexed.count
        report.missingPacksDropped = plan.missing.count

        if options.dryRun {
            let copied = plan.repack.reduce(Int64(0)) { $0 + $1.entries.reduce(Int64(0)) { $0 + Int64($1.length) } }
            let removed = (plan.delete + plan.repack.map(\.pack) + plan.unindexed).reduce(Int64(0)) { $0 + (plan.sizes[$1] ?? 0) }
            let estimatedPacks = copied == 0 ? 0 : Int((copied + Int64(repository.config.packSize) - 1) / Int64(repository.config.packSize))
            report.packsWritten = estimatedPacks
            report.bytesAfter = report.bytesBefore - removed + copied + Int64(estimatedPacks * 100)
            report.packsAfter = plan.sizes.count - plan.delete.count - plan.repack.count - plan.unindexed.count + estimatedPacks
            report.indexFilesWritten = plan.rewritesIndex ? max(1, (plan.keep.count + estimatedPacks + Self.packsPerIndexFile - 1) / Self.packsPerIndexFile) : 0
            report.indexFilesDeleted = plan.rewritesIndex ? index.fileIDs.count : index.superseded.count
            return report
        }

        let written = try repack(plan.repack)
        report.packsWritten = written.count
        for (pack, size, _) in written { plan.sizes[pack] = size }

        if plan.rewritesIndex {
            let listed = plan.keep.map { ($0, index.entries[$0]!) } + written.map { ($0.pack, $0.entries) }
            report.indexFilesWritten = try writeIndex(listed, superseding: index.fileIDs)
        }

        for pack in plan.delete + plan.repack.map(\.pack) + plan.unindexed {
            try backend.remove(.pack(pack))
            plan.sizes[pack] = nil
            try step("deleted pack \(pack.short)")
        }
        let obsolete = plan.rewritesIndex ? index.fileIDs : index.fileIDs.filter { index.superseded.contains($0) }
        for id in obsolete {
            try backend.remove(.index(id))
            try step("deleted index file \(id.short)")
        }
        report.indexFilesDeleted = obsolete.count
        report.packsAfter = plan.sizes.count
        report.bytesAfter = plan.sizes.values.reduce(0, +)
        try step("done")
        return report
    }

    // MARK: Steps

    /// The `.tmp-` files of a local repository older than `age` (an interrupted write's leftovers; a
    /// younger one may belong to a backup still running). Other backends have none.
    private func staleTemporaryFiles(olderThan age: TimeInterval) throws -> [String] {
        guard let local = backend as? LocalBackend else { return [] }
        let limit = Date().timeIntervalSince1970 - age
        return try local.leftoverTemporaryFiles().filter { Double($0.modified) < limit }.map(\.path)
    }

    private func packSizes() throws -> [BlobID: Int64] {
        try backend.objectSizes(.data)
    }

    /// Every tree and data blob a snapshot reaches. Any snapshot or tree that cannot be read stops prune: it must
    /// not delete data whose users it cannot see.
    private func usedBlobs(index: MasterIndex, report: inout Report) throws -> Set<BlobID> {
        let loader = try BlobLoader(repository: repository, index: index)
        var used = Set<BlobID>()
        var pending: [(tree: BlobID, snapshot: BlobID)] = []
        for id in try repository.snapshotIDs() {
            do {
                pending.append((try repository.loadSnapshot(id).tree, id))
            } catch {
                throw RepositoryError(.damaged, "prune refused, nothing was deleted: \(error); prune cannot know what that snapshot "
                    + "needs: copy the file back, or remove it with 'kura repair snapshots --forget'")
            }
            report.snapshots += 1
        }
        while let (tree, snapshot) = pending.popLast() {
            guard used.insert(tree).inserted else { continue }
            let nodes: [Node]
            do {
                guard index.contains(tree) else { throw RepositoryError(.damaged, "tree \(tree.short) is not in the index") }
                nodes = try loader.loadTree(tree).nodes
            } catch {
                throw RepositoryError(.damaged, "prune stopped, nothing was deleted: snapshot \(snapshot.short): \(error); run 'kura check'")
            }
            for node in nodes {
                if let subtree = node.subtree { pending.append((subtree, snapshot)) }
                for blob in node.content ?? [] {
                    guard index.contains(blob) else {
                        throw RepositoryError(.damaged, "prune stopped, nothing was deleted: snapshot \(snapshot.short): "
                            + "\(node.name): data blob \(blob.short) is not in the index; run 'kura check'")
                    }
                    used.insert(blob)
                }
            }
        }
        report.usedBlobs = used.count
        return used
    }

    /// Copies the used blobs of `packs` into new packs, decrypting each with its old pack key, checking it against
    /// its id, and sealing it again under the new pack's key (compressed payloads are not recompressed).
    private func repack(_ packs: [(pack: BlobID, entries: [PackEntry])]) throws -> [(pack: BlobID, size: Int64, entries: [PackEntry])] {
        guard !packs.isEmpty else { return [] }
        let reader = try PackReader(backend: backend, key: repository.key)
        let decompressor = try ZstdDecompressor()
        var written: [(pack: BlobID, size: Int64, entries: [PackEntry])] = []
        var writer: PackWriter?
        defer { writer?.abandon() }
        func finish() throws {
            guard let open = writer else { return }
            writer = nil
            let id = try open.finish()
            written.append((id, Int64(open.size), open.entries))
            try step("wrote new pack \(id.short)")
        }
        let files = PackFiles(backend: backend)
        for (pack, entries) in packs {
            let oldKey = try reader.packKey(pack)
            let size = try files.size(pack)
            for entry in entries.sorted(by: { $0.offset < $1.offset }) {
                // The index may be forged (a write-only host writes index files): checked before allocating.
                guard Int(entry.offset) + Int(entry.length) <= size else {
                    throw RepositoryError(.damaged, "pack \(pack): blob \(entry.id.short) lies outside the pack; run kura check")
                }
                let sealed = try files.read(pack, count: Int(entry.length), offset: Int(entry.offset))
                let payload = try Self.openVerified(sealed, entry: entry, pack: pack, packKey: oldKey, key: repository.key,
                                                    decompressor: decompressor)
                if writer == nil { writer = try PackWriter(backend: backend, publicKey: repository.key.publicKey) }
                let resealed = try AEAD.seal(payload, key: writer!.key, associatedData: entry.id.bytes)
                try writer!.append(id: entry.id, type: entry.type, compressed: entry.isCompressed, rawLength: Int(entry.rawLength),
                                   sealed: resealed)
                if writer!.size >= repository.config.packSize { try finish() }
            }
            try step("copied the used blobs of pack \(pack.short)")
        }
        try finish()
        return written
    }

    /// The payload (still compressed, if it was) of a sealed blob, after checking that it decrypts and that its
    /// plaintext hashes to its id.
    static func openVerified(_ sealed: [UInt8], entry: PackEntry, pack: BlobID, packKey: [UInt8], key: MasterKey,
                             decompressor: ZstdDecompressor) throws -> [UInt8] {
        let payload: [UInt8]
        do {
            payload = try AEAD.open(sealed, key: packKey, associatedData: entry.id.bytes)
        } catch {
            throw RepositoryError(.damaged, "prune stopped: pack \(pack): blob \(entry.id.short) fails authentication; run 'kura check --read-data'")
        }
        let plaintext: [UInt8]
        do {
            plaintext = entry.isCompressed ? try decompressor.decompress(payload, originalSize: Int(entry.rawLength)) : payload
        } catch {
            throw RepositoryError(.damaged, "prune stopped: pack \(pack): blob \(entry.id.short) does not decompress")
        }
        guard plaintext.count == Int(entry.rawLength), plaintext.withUnsafeBytes({ key.blobID(of: $0) }) == entry.id else {
            throw RepositoryError(.damaged, "prune stopped: pack \(pack): blob \(entry.id.short) does not match its id")
        }
        return payload
    }

    /// Writes the new index: every file but the last supersedes nothing, the last supersedes every old index file,
    /// so the switch from the old index to the new one is the one rename of that last file.
    private func writeIndex(_ packs: [(BlobID, [PackEntry])], superseding old: [BlobID]) throws -> Int {
        var chunks = stride(from: 0, to: packs.count, by: Self.packsPerIndexFile).map {
            Array(packs[$0..<min(packs.count, $0 + Self.packsPerIndexFile)])
        }
        if chunks.isEmpty { chunks = [[]] }
        for (i, chunk) in chunks.enumerated() {
            let last = i == chunks.count - 1
            let id = try IndexFile(supersedes: last ? old : [], packs: chunk).write(backend: backend, key: repository.key)
            try step("wrote index file \(id.short)" + (last ? " superseding \(old.count) old ones" : ""))
        }
        return chunks.count
    }
}

/// Every index file, which of them are superseded, and what the live ones say.
struct IndexState {
    /// Every index file in `index/` when prune began, in name order.
    var fileIDs: [BlobID] = []
    var superseded = Set<BlobID>()
    /// The live index, as every command loads it (first location of each blob wins).
    let master = MasterIndex()
    /// Every entry the live files list, by pack, without repeats.
    var entries: [BlobID: [PackEntry]] = [:]

    init(backend: any Backend, key: MasterKey) throws {
        var files: [(BlobID, IndexFile)] = []
        var failed: [(BlobID, Error)] = []
        let ids = try backend.ids(.index)
        for id in ids {
            do {
                let file = try IndexFile.read(backend: backend, id: id, key: key)
                superseded.formUnion(file.supersedes)
                files.append((id, file))
            } catch {
                failed.append((id, error))
            }
        }
        // A damaged index file that a live one supersedes (left by an interrupted `repair index`) is obsolete anyway.
        if let (_, error) = failed.first(where: { !superseded.contains($0.0) }) {
            throw RepositoryError(.damaged, "prune stopped, nothing was deleted: \(error); run 'kura repair index' first")
        }
        fileIDs = ids
        for (id, file) in files where !superseded.contains(id) {
            for (pack, list) in file.packs {
                master.add(pack: pack, entries: list)
                var known = Set((entries[pack] ?? []).map(\.offset))
                for entry in list where known.insert(entry.offset).inserted { entries[pack, default: []].append(entry) }
            }
        }
    }
}

/// What prune will do with each pack.
struct PrunePlan {
    var keep: [BlobID] = []
    var delete: [BlobID] = []
    var repack: [(pack: BlobID, entries: [PackEntry])] = []
    /// Packs on disk that no live index file names.
    var unindexed: [BlobID] = []
    /// Packs a live index file names that are not on disk (and hold nothing used).
    var missing: [BlobID] = []
    /// Size of every pack file on disk.
    var sizes: [BlobID: Int64]
    var unusedBytesBefore: Int64 = 0
    var unusedBytesKept: Int64 = 0

    /// Whether the index must be rewritten (when no indexed pack goes, the old index files stay as they are).
    var rewritesIndex: Bool { !delete.isEmpty || !repack.isEmpty || !missing.isEmpty }

    init(index: IndexState, used: Set<BlobID>, onDisk sizes: [BlobID: Int64], maxUnused: Double) throws {
        self.sizes = sizes
        for pack in index.entries.keys.sorted() {
            var usedEntries: [PackEntry] = []
            var usedBytes: Int64 = 0, unusedBytes: Int64 = 0
            for entry in index.entries[pack]! {
                if used.contains(entry.id), let location = index.master.lookup(entry.id), location.pack == pack,
                   location.entry.offset == entry.offset {
                    usedEntries.append(entry)
                    usedBytes += Int64(entry.length)
                } else {
                    unusedBytes += Int64(entry.length)
                }
            }
            unusedBytesBefore += unusedBytes
            guard sizes[pack] != nil else {
                if !usedEntries.isEmpty {
                    throw RepositoryError(.damaged, "prune stopped, nothing was deleted: pack \(pack) holds \(usedEntries.count) "
                        + "blobs that snapshots use but is missing; run 'kura check'")
                }
                missing.append(pack)
                continue
            }
            if usedEntries.isEmpty {
                delete.append(pack)
            } else if unusedBytes > 0 && Double(unusedBytes) > maxUnused * Double(usedBytes + unusedBytes) {
                repack.append((pack, usedEntries))
            } else {
                keep.append(pack)
                unusedBytesKept += unusedBytes
            }
        }
        unindexed = sizes.keys.filter { index.entries[$0] == nil }.sorted()
    }
}

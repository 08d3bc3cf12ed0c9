import Foundation

/// Copies snapshots from one repository into another (`kura copy`). Chunk ids are keyed per repository,
/// so every blob is read and verified in the source, its id computed again with the destination's key,
/// and only blobs the destination lacks are compressed, encrypted under the destination's keys and sent;
/// trees are rewritten with the destination's ids. The copy records where it came from (`copied_from`),
/// which is how a later run skips it. Index files are written every few packs, so a run that is killed
/// resumes without sending again what already arrived.
public final class SnapshotCopier {
    public struct Statistics: Sendable {
        public var blobsNew = 0
        public var bytesNew: Int64 = 0
        public var bytesStored: Int64 = 0
    }

    private let source: Repository
    private let destination: Repository
    private let loader: BlobLoader
    private let saver: BlobSaver
    /// Source ids already copied in this run, with their destination ids: a directory or a chunk shared by
    /// several snapshots is read once.
    private var trees: [BlobID: BlobID] = [:]
    private var blobs: [BlobID: BlobID] = [:]
    /// Called with the plaintext bytes of each chunk read.
    public var onProgress: ((Int) -> Void)?

    /// Chunks read and re-stored together, so hashing and compression run on every core.
    static let batch = 16

    public init(from source: Repository, to destination: Repository) throws {
        guard !source.isWriteOnly else {
            throw RepositoryError(.writeOnlyKey, "the source repository's key is write-only: copying needs a key that can read it")
        }
        guard !destination.isWriteOnly else {
            throw RepositoryError(.writeOnlyKey,
                "the destination repository's key is write-only: copy reads the destination's snapshots to skip those already copied")
        }
        guard source.id != destination.id else {
            throw RepositoryError(.invalidArgument, "the source and the destination are the same repository (\(source.id.short))")
        }
        self.source = source
        self.destination = destination
        loader = try BlobLoader(repository: source, index: try source.loadIndex())
        saver = try BlobSaver(repository: destination, index: try destination.loadIndex())
        saver.packsPerIndexFile = 4
    }

    public var statistics: Statistics {
        let s = saver.statistics
        return Statistics(blobsNew: s.blobsNew, bytesNew: s.bytesNew, bytesStored: s.bytesStored)
    }

    /// What identifies a snapshot across copies: the first original's repository and id.
    public static func origin(of entry: SnapshotEntry, in repository: Repository) -> Snapshot.Origin {
        entry.snapshot.copiedFrom ?? Snapshot.Origin(repository: repository.id.hex, snapshot: entry.id.hex)
    }

    /// The origins of every snapshot the destination holds (itself or as a copy).
    public func originsInDestination() throws -> Set<Snapshot.Origin> {
        Set(try destination.snapshots().map { Self.origin(of: $0, in: destination) })
    }

    /// Copies one snapshot and returns the id of the copy.
    public func copy(_ entry: SnapshotEntry) throws -> BlobID {
        do {
            var snapshot = entry.snapshot
            snapshot.tree = try copyTree(entry.snapshot.tree)
            snapshot.copiedFrom = Self.origin(of: entry, in: source)
            try saver.flush()
            return try destination.saveSnapshot(snapshot)
        } catch {
            // What arrived stays indexed, so the next run does not send it again.
            try? saver.flush()
            throw error
        }
    }

    private func copyTree(_ id: BlobID) throws -> BlobID {
        if let copied = trees[id] { return copied }
        var tree = try loader.loadTree(id)
        for i in tree.nodes.indices {
            if let subtree = tree.nodes[i].subtree { tree.nodes[i].subtree = try copyTree(subtree) }
            if let content = tree.nodes[i].content { tree.nodes[i].content = try copyContent(content) }
        }
        let copied = try saver.saveTree(tree)
        trees[id] = copied
        return copied
    }

    private func copyContent(_ ids: [BlobID]) throws -> [BlobID] {
        var missing: [BlobID] = []
        var seen = Set<BlobID>()
        for id in ids where blobs[id] == nil && seen.insert(id).inserted { missing.append(id) }
        var start = 0
        while start < missing.count {
            let part = Array(missing[start..<min(start + Self.batch, missing.count)])
            let chunks = try loader.load(part)
            // Stored in groups no bigger than a pack, so packs (and an object store's uploads) keep their size.
            var first = 0
            while first < chunks.count {
                var end = first, bytes = 0
                repeat {
                    bytes += chunks[end].count
                    end += 1
                } while end < chunks.count && bytes + chunks[end].count <= destination.config.packSize
                let copied = try saver.save(Array(chunks[first..<end]), type: .data)
                for (from, to) in zip(part[first..<end], copied) { blobs[from] = to }
                onProgress?(bytes)
                first = end
            }
            start += part.count
        }
        return ids.map { blobs[$0]! }
    }

    /// Drops the pack being written, after a failure that ends the run.
    public func abandon() { saver.abandon() }
}

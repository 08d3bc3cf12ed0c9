/// restic's `stats --mode raw-data`: the distinct blobs (file chunks and trees) that some snapshots
/// reference, each counted once however many files and snapshots share it, with their size before and
/// after compression and encryption.
public struct RawDataStatistics: Sendable, Codable, Equatable {
    public var blobs = 0
    public var rawBytes: UInt64 = 0
    public var storedBytes: UInt64 = 0

    enum CodingKeys: String, CodingKey {
        case blobs = "blob_count", rawBytes = "total_uncompressed_size", storedBytes = "total_size"
    }

    public init(trees roots: [BlobID], loader: BlobLoader, index: MasterIndex) throws {
        var seen = Set<BlobID>()
        var pending = roots
        func count(_ id: BlobID) throws {
            guard seen.insert(id).inserted else { return }
            guard let (_, entry) = index.lookup(id) else {
                throw RepositoryError(.damaged, "blob \(id.short) is referenced but not in the index (kura check says more)")
            }
            blobs += 1
            rawBytes += UInt64(entry.rawLength)
            storedBytes += UInt64(entry.length)
        }
        while let tree = pending.popLast() {
            guard !seen.contains(tree) else { continue }
            try count(tree)
            for node in try loader.loadTree(tree).nodes {
                for chunk in node.content ?? [] { try count(chunk) }
                if let subtree = node.subtree { pending.append(subtree) }
            }
        }
    }
}

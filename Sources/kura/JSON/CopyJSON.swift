/// What `kura copy --json` prints: for each snapshot chosen, the snapshot as the source holds it, the copy
/// made in the destination (null when the destination already held it) and what the copy sent.
struct CopyJSON: Encodable {
    struct Item: Encodable {
        var snapshot: SnapshotJSON
        var copy: SnapshotJSON?
        var skipped: Bool
        var blobsNew: Int
        var bytesStored: Int64
        var durationSeconds: Double

        init(_ result: Kura.CopyResult) {
            snapshot = SnapshotJSON(result.source)
            copy = result.copy.map { SnapshotJSON($0) }
            skipped = result.copy == nil
            blobsNew = result.blobsNew
            bytesStored = result.bytesStored
            durationSeconds = result.seconds
        }

        enum CodingKeys: String, CodingKey {
            case snapshot, copy, skipped, blobsNew = "blobs_new", bytesStored = "bytes_stored", durationSeconds = "duration_seconds"
        }

        /// `copy` is null, not absent, for a skipped snapshot.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(snapshot, forKey: .snapshot)
            try c.encode(copy, forKey: .copy)
            try c.encode(skipped, forKey: .skipped)
            try c.encode(blobsNew, forKey: .blobsNew)
            try c.encode(bytesStored, forKey: .bytesStored)
            try c.encode(durationSeconds, forKey: .durationSeconds)
        }
    }

    var sourceRepositoryID: String
    var destinationRepositoryID: String
    var copies: [Item]

    enum CodingKeys: String, CodingKey {
        case sourceRepositoryID = "source_repository_id", destinationRepositoryID = "destination_repository_id", copies
    }
}

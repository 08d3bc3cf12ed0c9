import KuraCatalog

/// A hold on a snapshot, the same object in `hold list`, `hold add` and `hold remove`.
struct HoldJSON: Encodable {
    var record: SnapshotHoldRecord

    init(_ record: SnapshotHoldRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case id, repositoryID = "repository_id", snapshotID = "snapshot_id", reason, placedBy = "placed_by", placedAt = "placed_at",
             active, releasedBy = "released_by", releasedAt = "released_at", releaseEvent = "release_event"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.repositoryID, forKey: .repositoryID)
        try c.encode(record.snapshotID, forKey: .snapshotID)
        try c.encode(record.reason, forKey: .reason)
        try c.encode(record.placedBy, forKey: .placedBy)
        try c.encode(JSONTime.string(record.placedAt), forKey: .placedAt)
        try c.encode(record.isActive, forKey: .active)
        try c.encode(record.releasedBy, forKey: .releasedBy)
        try c.encode(JSONTime.string(record.releasedAt), forKey: .releasedAt)
        try c.encode(record.releaseEvent, forKey: .releaseEvent)
    }
}

import KuraCatalog

/// A recorded restore drill, the same object in `drill list`, `drill --json` and `report --json`; its
/// duration in seconds.
struct DrillJSON: Encodable {
    var record: DrillRecord

    init(_ record: DrillRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case id, repositoryID = "repository_id", snapshotID = "snapshot_id", host, sources, medium, method,
             restoreCommand = "restore_command", verifyCommand = "verify_command", bytes, durationSeconds = "duration_seconds",
             result, detail, performedBy = "performed_by", performedAt = "performed_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.repositoryID, forKey: .repositoryID)
        try c.encode(record.snapshotID, forKey: .snapshotID)
        try c.encode(record.host, forKey: .host)
        try c.encode(record.sources.values, forKey: .sources)
        try c.encode(record.medium, forKey: .medium)
        try c.encode(record.method.rawValue, forKey: .method)
        try c.encode(record.restoreCommand, forKey: .restoreCommand)
        try c.encode(record.verifyCommand, forKey: .verifyCommand)
        try c.encode(record.bytes, forKey: .bytes)
        try c.encode(Double(record.restoreMilliseconds) / 1000, forKey: .durationSeconds)
        try c.encode(record.result.rawValue, forKey: .result)
        try c.encode(record.detail, forKey: .detail)
        try c.encode(record.performedBy, forKey: .performedBy)
        try c.encode(JSONTime.string(record.performedAt), forKey: .performedAt)
    }
}

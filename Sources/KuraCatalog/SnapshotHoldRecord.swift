import GRDB

/// A hold on one snapshot of a repository (table `snapshot_holds`): `kura forget` keeps the snapshot until a
/// different custodian releases it.
public struct SnapshotHoldRecord: ProjectedRecord {
    public static let databaseTableName = "snapshot_holds"

    /// The sequence of the event that placed the hold.
    public var id: Int64
    public var repositoryID: String
    public var snapshotID: String
    public var reason: String
    public var placedBy: String
    public var placedAt: String
    public var releasedBy: String?
    public var releasedAt: String?
    public var releaseEvent: Int64?

    enum CodingKeys: String, CodingKey {
        case id, reason
        case repositoryID = "repository_id"
        case snapshotID = "snapshot_id"
        case placedBy = "placed_by"
        case placedAt = "placed_at"
        case releasedBy = "released_by"
        case releasedAt = "released_at"
        case releaseEvent = "release_event"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let repositoryID = Column(CodingKeys.repositoryID)
        public static let snapshotID = Column(CodingKeys.snapshotID)
        public static let releaseEvent = Column(CodingKeys.releaseEvent)
    }

    public var key: Int64 { id }
    public var rowName: String { "snapshot hold \(id)" }
    public var isActive: Bool { releaseEvent == nil }
}

extension SnapshotHoldRecord {
    /// Every hold, or only the active ones, oldest first.
    static func listed(activeOnly: Bool) -> QueryInterfaceRequest<SnapshotHoldRecord> {
        let request = order(Columns.id)
        return activeOnly ? request.filter(Columns.releaseEvent == nil) : request
    }
}

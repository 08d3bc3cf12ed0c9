import GRDB

/// A backup the catalog learned of (table `backups`).
public struct BackupRecord: ProjectedRecord {
    public static let databaseTableName = "backups"

    /// The sequence of the event that recorded it.
    public var id: Int64
    public var repositoryID: String
    public var snapshotID: String
    /// The snapshot's host name.
    public var host: String
    /// Paths backed up, or stream names.
    public var sources: JSONList
    public var bytes: Int64
    public var snapshotTime: String
    public var durationMilliseconds: Int64
    public var result: BackupResult
    /// `host:NAME` for a backup reported by a machine.
    public var recordedBy: String

    enum CodingKeys: String, CodingKey {
        case id, host, sources, bytes, result
        case repositoryID = "repository_id"
        case snapshotID = "snapshot_id"
        case snapshotTime = "snapshot_time"
        case durationMilliseconds = "duration_ms"
        case recordedBy = "recorded_by"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let repositoryID = Column(CodingKeys.repositoryID)
    }

    public var key: Int64 { id }
    public var rowName: String { "backup \(id)" }
}

extension BackupResult: DatabaseValueConvertible {}

extension BackupRecord {
    static func inOrder() -> QueryInterfaceRequest<BackupRecord> {
        order(Columns.id)
    }
}

import GRDB

/// A snapshot copied from one repository into another (table `repository_copies`).
public struct RepositoryCopyRecord: ProjectedRecord {
    public static let databaseTableName = "repository_copies"

    /// The sequence of the event that recorded it.
    public var id: Int64
    public var sourceRepositoryID: String
    public var sourceSnapshotID: String
    public var destinationRepositoryID: String
    public var destinationSnapshotID: String
    public var host: String
    public var sources: JSONList
    public var snapshotTime: String
    public var bytesSent: Int64
    public var durationMilliseconds: Int64
    public var recordedBy: String

    enum CodingKeys: String, CodingKey {
        case id, host, sources
        case sourceRepositoryID = "source_repository_id"
        case sourceSnapshotID = "source_snapshot_id"
        case destinationRepositoryID = "destination_repository_id"
        case destinationSnapshotID = "destination_snapshot_id"
        case snapshotTime = "snapshot_time"
        case bytesSent = "bytes_sent"
        case durationMilliseconds = "duration_ms"
        case recordedBy = "recorded_by"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let sourceRepositoryID = Column(CodingKeys.sourceRepositoryID)
    }

    public var key: Int64 { id }
    public var rowName: String { "repository copy \(id)" }
}

extension RepositoryCopyRecord {
    static func inOrder() -> QueryInterfaceRequest<RepositoryCopyRecord> {
        order(Columns.id)
    }
}

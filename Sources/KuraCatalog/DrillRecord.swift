import GRDB

/// A restore drill and what it proved (table `drills`).
public struct DrillRecord: ProjectedRecord {
    public static let databaseTableName = "drills"

    /// The sequence of the event that recorded it.
    public var id: Int64
    public var repositoryID: String
    public var snapshotID: String
    /// The snapshot's host name.
    public var host: String
    /// The snapshot's paths or stream names.
    public var sources: JSONList
    /// The medium restored from; nil for the repository.
    public var medium: String?
    public var method: DrillMethod
    public var restoreCommand: String?
    public var verifyCommand: String?
    /// Bytes restored and checked against the snapshot.
    public var bytes: Int64
    /// Time to restore and check every byte (not the verify command).
    public var restoreMilliseconds: Int64
    public var result: DrillResult
    /// Why it failed, or what the verify command printed last.
    public var detail: String?
    /// The custodian who signed, or `host:NAME`.
    public var performedBy: String
    public var performedAt: String

    enum CodingKeys: String, CodingKey {
        case id, host, sources, medium, method, bytes, result, detail
        case repositoryID = "repository_id"
        case snapshotID = "snapshot_id"
        case restoreCommand = "restore_command"
        case verifyCommand = "verify_command"
        case restoreMilliseconds = "restore_ms"
        case performedBy = "performed_by"
        case performedAt = "performed_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let repositoryID = Column(CodingKeys.repositoryID)
    }

    public var key: Int64 { id }
    public var rowName: String { "drill \(id)" }
    public var passed: Bool { result == .passed }
}

extension DrillResult: DatabaseValueConvertible {}
extension DrillMethod: DatabaseValueConvertible {}

extension DrillRecord {
    static func inOrder() -> QueryInterfaceRequest<DrillRecord> {
        order(Columns.id)
    }
}

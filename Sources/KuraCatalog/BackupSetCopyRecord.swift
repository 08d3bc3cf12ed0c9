import Foundation
import GRDB

/// A backup set written to a medium, with the date until which it must be kept (table `backup_set_copies`).
public struct BackupSetCopyRecord: ProjectedRecord {
    public static let databaseTableName = "backup_set_copies"

    /// The sequence of the event that recorded the copy.
    public var id: Int64
    public var serial: String
    public var repositoryID: String
    public var snapshotIDs: JSONList
    public var sources: JSONList
    public var bytes: Int64
    public var retainUntil: String
    public var keySlotIDs: JSONList
    public var keyDescription: String
    public var writtenAt: String
    public var recordedBy: String
    /// The sanitization event that erased the copy, if one did.
    public var erasedEvent: Int64?

    enum CodingKeys: String, CodingKey {
        case id, serial, sources, bytes
        case repositoryID = "repository_id"
        case snapshotIDs = "snapshot_ids"
        case retainUntil = "retain_until"
        case keySlotIDs = "key_slot_ids"
        case keyDescription = "key_description"
        case writtenAt = "written_at"
        case recordedBy = "recorded_by"
        case erasedEvent = "erased_event"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let serial = Column(CodingKeys.serial)
    }

    public var key: Int64 { id }
    public var rowName: String { "backup set copy \(id)" }

    /// Whether the copy is still on the medium.
    public var isPresent: Bool { erasedEvent == nil }

    /// Whether the copy must still be kept at `date`.
    public func isRetained(at date: Date) -> Bool {
        guard isPresent else { return false }
        guard let until = CatalogTime.parse(retainUntil) else { return true }
        return date < until
    }
}

extension BackupSetCopyRecord {
    static func on(_ serial: String) -> QueryInterfaceRequest<BackupSetCopyRecord> {
        filter(Columns.serial == serial).order(Columns.id)
    }
}

import GRDB

/// A legal or audit hold on a medium (table `holds`); it blocks disposal until released.
public struct HoldRecord: ProjectedRecord {
    public static let databaseTableName = "holds"

    /// The sequence of the event that placed the hold.
    public var id: Int64
    public var serial: String
    public var reason: String
    public var placedBy: String
    public var placedAt: String
    public var releasedBy: String?
    public var releasedAt: String?
    public var releaseEvent: Int64?

    enum CodingKeys: String, CodingKey {
        case id, serial, reason
        case placedBy = "placed_by"
        case placedAt = "placed_at"
        case releasedBy = "released_by"
        case releasedAt = "released_at"
        case releaseEvent = "release_event"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let serial = Column(CodingKeys.serial)
    }

    public var key: Int64 { id }
    public var rowName: String { "hold \(id)" }
    public var isActive: Bool { releaseEvent == nil }
}

extension HoldRecord {
    static func on(_ serial: String) -> QueryInterfaceRequest<HoldRecord> {
        filter(Columns.serial == serial).order(Columns.id)
    }
}

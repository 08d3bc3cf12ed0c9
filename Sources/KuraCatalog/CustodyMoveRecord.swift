import GRDB

/// One hand-over of a medium (table `custody_moves`): sent by one person, received by another.
public struct CustodyMoveRecord: ProjectedRecord {
    public static let databaseTableName = "custody_moves"

    /// The sequence of the event that sent the medium.
    public var id: Int64
    public var serial: String
    public var fromLocation: String
    public var toLocation: String
    public var courier: String
    public var sentBy: String
    public var sentAt: String
    public var receivedBy: String?
    public var receivedAt: String?
    public var receiveEvent: Int64?

    enum CodingKeys: String, CodingKey {
        case id, serial, courier
        case fromLocation = "from_location"
        case toLocation = "to_location"
        case sentBy = "sent_by"
        case sentAt = "sent_at"
        case receivedBy = "received_by"
        case receivedAt = "received_at"
        case receiveEvent = "receive_event"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let serial = Column(CodingKeys.serial)
    }

    public var key: Int64 { id }
    public var rowName: String { "custody move \(id)" }
    public var isOpen: Bool { receiveEvent == nil }
}

extension CustodyMoveRecord {
    static func of(_ serial: String) -> QueryInterfaceRequest<CustodyMoveRecord> {
        filter(Columns.serial == serial).order(Columns.id)
    }
}

import GRDB

/// A tape or disk, by serial (table `media`). Never deleted.
public struct MediumRecord: ProjectedRecord {
    public static let databaseTableName = "media"

    public var serial: String
    public var barcode: String?
    public var mediaType: String
    public var capacity: String?
    public var propertyNumber: String?
    public var make: String?
    public var model: String?
    public var classification: String
    public var state: MediumState
    /// The state `found` returns a lost medium to.
    public var priorState: MediumState?
    public var location: String
    /// Where an in-transit medium is headed.
    public var destination: String?
    public var addedBy: String
    public var addedAt: String
    public var lastEvent: Int64

    enum CodingKeys: String, CodingKey {
        case serial, barcode, capacity, make, model, classification, state, location, destination
        case mediaType = "media_type"
        case propertyNumber = "property_number"
        case priorState = "prior_state"
        case addedBy = "added_by"
        case addedAt = "added_at"
        case lastEvent = "last_event"
    }

    public enum Columns {
        public static let serial = Column(CodingKeys.serial)
        public static let barcode = Column(CodingKeys.barcode)
        public static let state = Column(CodingKeys.state)
        public static let location = Column(CodingKeys.location)
    }

    public var key: String { serial }
    public var rowName: String { "medium \(serial)" }

    /// The parsed location; a stored location is always well formed, or verification says so.
    public var place: Location? { try? Location(parsing: location) }

    public var isTape: Bool { mediaType.uppercased().hasPrefix("LTO") }
}

extension MediumState: DatabaseValueConvertible {}
extension CustodianStatus: DatabaseValueConvertible {}

extension MediumRecord {
    /// Media in a state and at a location (`onsite`, `offsite:VAULT`, ...), by serial.
    public static func listed(state: MediumState? = nil, location: String? = nil) -> QueryInterfaceRequest<MediumRecord> {
        var request = order(Columns.serial)
        if let state { request = request.filter(Columns.state == state.rawValue) }
        if let location {
            request = location.contains(":")
                ? request.filter(Columns.location == location)
                : request.filter(Columns.location.like("\(location):%"))
        }
        return request
    }

    /// The medium with this serial, or else this barcode.
    static func identified(by serialOrBarcode: String, in db: Database) throws -> MediumRecord? {
        if let medium = try fetchOne(db, key: serialOrBarcode) { return medium }
        return try filter(Columns.barcode == serialOrBarcode).fetchOne(db)
    }
}

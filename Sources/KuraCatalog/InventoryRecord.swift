import GRDB

/// A physical inventory of one location and what it found (table `inventories`).
public struct InventoryRecord: ProjectedRecord {
    public static let databaseTableName = "inventories"

    /// The sequence of the inventory event.
    public var id: Int64
    public var location: String
    public var takenBy: String
    public var takenAt: String
    /// What was scanned, serials or barcodes, as given.
    public var scanned: JSONList
    /// Serials the catalog puts at the location that were scanned there.
    public var present: JSONList
    /// Serials the catalog puts at the location that were not scanned.
    public var missing: JSONList
    /// Scanned values that match no medium in the catalog.
    public var unexpected: JSONList
    /// Scanned media the catalog puts somewhere else (or lost, or disposed).
    public var misplaced: JSONList

    enum CodingKeys: String, CodingKey {
        case id, location, scanned, present, missing, unexpected, misplaced
        case takenBy = "taken_by"
        case takenAt = "taken_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
    }

    public var key: Int64 { id }
    public var rowName: String { "inventory \(id)" }
    public var hasDiscrepancies: Bool { !missing.values.isEmpty || !unexpected.values.isEmpty || !misplaced.values.isEmpty }
}

import GRDB

/// One row of the audit log (table `events`).
public struct EventRecord: Codable, FetchableRecord, PersistableRecord, Equatable, Sendable {
    public static let databaseTableName = "events"

    public var sequence: Int64
    public var occurredAt: String
    public var kind: String
    public var actor: String
    public var subject: String
    public var payload: String
    public var previousHash: String
    public var hash: String
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case sequence, kind, actor, subject, payload, hash, signature
        case occurredAt = "occurred_at"
        case previousHash = "previous_hash"
    }

    public enum Columns {
        public static let sequence = Column(CodingKeys.sequence)
        public static let subject = Column(CodingKeys.subject)
        public static let kind = Column(CodingKeys.kind)
    }

    /// The hash event 1 links to.
    public static let genesisHash = String(repeating: "0", count: 64)
}

extension EventRecord {
    /// The whole log, oldest first.
    static func inOrder() -> QueryInterfaceRequest<EventRecord> {
        order(Columns.sequence)
    }

    /// Every event about one medium, custodian or location, oldest first.
    static func about(_ subject: String) -> QueryInterfaceRequest<EventRecord> {
        filter(Columns.subject == subject).order(Columns.sequence)
    }

    /// The newest event, or nil for an empty log.
    static func newest(_ db: Database) throws -> EventRecord? {
        try order(Columns.sequence.desc).fetchOne(db)
    }
}

import GRDB

/// One read-back of a medium by `kura media verify` and its result (table `media_verifications`).
public struct MediumVerificationRecord: ProjectedRecord {
    public static let databaseTableName = "media_verifications"

    /// The sequence of the verification event.
    public var id: Int64
    public var serial: String
    public var passed: Bool
    public var problems: JSONList
    public var snapshots: JSONList
    public var bytesRead: Int64
    public var verifiedBy: String
    public var verifiedAt: String

    enum CodingKeys: String, CodingKey {
        case id, serial, passed, problems, snapshots
        case bytesRead = "bytes_read"
        case verifiedBy = "verified_by"
        case verifiedAt = "verified_at"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let serial = Column(CodingKeys.serial)
    }

    public var key: Int64 { id }
    public var rowName: String { "verification \(id)" }

    static func of(_ serial: String) -> QueryInterfaceRequest<MediumVerificationRecord> {
        filter(Columns.serial == serial).order(Columns.id)
    }
}

/// `media.verified`: a medium was read back whole; what was found.
public struct MediumVerified: EventPayload {
    public static let kind = "media.verified"
    public var serial: String
    public var passed: Bool
    public var problems: [String]
    public var snapshotIDs: [String]
    public var bytesRead: Int64
    public var subject: String { serial }

    public init(serial: String, passed: Bool, problems: [String], snapshotIDs: [String], bytesRead: Int64) {
        self.serial = serial
        self.passed = passed
        self.problems = problems
        self.snapshotIDs = snapshotIDs
        self.bytesRead = bytesRead
    }
}

extension CatalogState {
    mutating func recordVerification(_ p: MediumVerified, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        _ = try requireMedium(p.serial)
        for line in p.problems + p.snapshotIDs { try CatalogText.requireSingleLine(line, what: "verification detail") }
        verifications[context.sequence] = MediumVerificationRecord(
            id: context.sequence, serial: p.serial, passed: p.passed, problems: JSONList(p.problems),
            snapshots: JSONList(p.snapshotIDs), bytesRead: p.bytesRead, verifiedBy: context.actor, verifiedAt: context.timeText)
    }
}

extension Catalog {
    /// Records a verification of a medium as an event signed by `actor`.
    @discardableResult
    public func recordVerification(_ verified: MediumVerified, as actor: String,
                                   passphrase: () throws -> String) throws -> EventRecord {
        var payload = verified
        payload.serial = try medium(verified.serial).serial
        return try append(CatalogChange(payload), as: actor, passphrase: passphrase)
    }

    /// The verifications of a medium, oldest first.
    public func verifications(of serialOrBarcode: String) throws -> [MediumVerificationRecord] {
        let serial = try medium(serialOrBarcode).serial
        return try storage { try database.read { try MediumVerificationRecord.of(serial).fetchAll($0) } }
    }
}

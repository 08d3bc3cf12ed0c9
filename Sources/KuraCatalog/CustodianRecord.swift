import GRDB

/// A person who may sign catalog changes (table `custodians`).
public struct CustodianRecord: ProjectedRecord {
    public static let databaseTableName = "custodians"

    public var name: String
    public var title: String
    public var organization: String
    public var phone: String?
    public var location: String?
    public var status: CustodianStatus
    public var publicKey: String
    public var sealedSecretKey: String
    public var kdfSalt: String
    public var kdfOpsLimit: Int64
    public var kdfMemLimit: Int64
    public var addedAt: String
    public var addedEvent: Int64
    public var revokedBy: String?
    public var revokedAt: String?
    public var revokedEvent: Int64?
    /// Subject of the X.509 certificate the custodian enrolled with (anchored catalogs only).
    public var certificateSubject: String?
    /// BLAKE2b-256 of that certificate's SubjectPublicKeyInfo, hex: one certificate key backs one custodian.
    public var certificateKey: String?
    /// `person`, or `machine` for a host's signing key (`kura custodian add HOST --machine`).
    public var kind: CustodianKind = .person

    enum CodingKeys: String, CodingKey {
        case name, title, organization, phone, location, status, kind
        case publicKey = "public_key"
        case sealedSecretKey = "sealed_secret_key"
        case kdfSalt = "kdf_salt"
        case kdfOpsLimit = "kdf_ops_limit"
        case kdfMemLimit = "kdf_mem_limit"
        case addedAt = "added_at"
        case addedEvent = "added_event"
        case revokedBy = "revoked_by"
        case revokedAt = "revoked_at"
        case revokedEvent = "revoked_event"
        case certificateSubject = "certificate_subject"
        case certificateKey = "certificate_key"
    }

    public enum Columns {
        public static let name = Column(CodingKeys.name)
        public static let status = Column(CodingKeys.status)
    }

    public var isMachine: Bool { kind == .machine }
    public var key: String { name }
    public var rowName: String { "custodian \(name)" }
}

extension CustodianRecord {
    static func byName() -> QueryInterfaceRequest<CustodianRecord> {
        order(Columns.name)
    }
}

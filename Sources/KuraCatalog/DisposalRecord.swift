import GRDB

/// A disposal from request to validated sanitization (table `disposals`).
public struct DisposalRecord: ProjectedRecord {
    public static let databaseTableName = "disposals"

    /// The sequence of the request event.
    public var id: Int64
    public var serial: String
    public var reason: String
    public var requestedBy: String
    public var requestedAt: String
    public var approvedBy: String?
    public var approvedAt: String?
    public var approveEvent: Int64?
    public var method: SanitizationMethod?
    public var technique: String?
    public var tool: String?
    public var verification: String?
    public var destination: SanitizationDestination?
    public var details: String?
    public var postClassification: String?
    public var notes: String?
    public var performedBy: String?
    public var performedAt: String?
    public var recordEvent: Int64?
    public var validatedBy: String?
    public var validatedAt: String?
    public var validateEvent: Int64?
    /// `disposed` or `sanitized`, once validated.
    public var outcome: MediumState?
    /// Who withdrew the request (`media.disposal-cancelled`), when, why, and by which event.
    public var cancelledBy: String?
    public var cancelledAt: String?
    public var cancelReason: String?
    public var cancelEvent: Int64?

    enum CodingKeys: String, CodingKey {
        case id, serial, reason, method, technique, tool, verification, destination, details, notes, outcome
        case requestedBy = "requested_by"
        case requestedAt = "requested_at"
        case approvedBy = "approved_by"
        case approvedAt = "approved_at"
        case approveEvent = "approve_event"
        case postClassification = "post_classification"
        case performedBy = "performed_by"
        case performedAt = "performed_at"
        case recordEvent = "record_event"
        case validatedBy = "validated_by"
        case validatedAt = "validated_at"
        case validateEvent = "validate_event"
        case cancelledBy = "cancelled_by"
        case cancelledAt = "cancelled_at"
        case cancelReason = "cancel_reason"
        case cancelEvent = "cancel_event"
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let serial = Column(CodingKeys.serial)
    }

    public var key: Int64 { id }
    public var rowName: String { "disposal \(id)" }
    public var isValidated: Bool { validateEvent != nil }
    public var isCancelled: Bool { cancelEvent != nil }
}

extension SanitizationMethod: DatabaseValueConvertible {}
extension SanitizationDestination: DatabaseValueConvertible {}

extension DisposalRecord {
    static func of(_ serial: String) -> QueryInterfaceRequest<DisposalRecord> {
        filter(Columns.serial == serial).order(Columns.id)
    }
}

import GRDB

/// One active custodian's approval of a pending one (table `custodian_approvals`).
public struct CustodianApprovalRecord: ProjectedRecord {
    public static let databaseTableName = "custodian_approvals"

    public var custodian: String
    public var approver: String
    public var approvedAt: String
    public var event: Int64

    enum CodingKeys: String, CodingKey {
        case custodian, approver, event
        case approvedAt = "approved_at"
    }

    public enum Columns {
        public static let custodian = Column(CodingKeys.custodian)
        public static let approver = Column(CodingKeys.approver)
    }

    public var key: String { "\(custodian)\u{0}\(approver)" }
    public var rowName: String { "approval of \(custodian) by \(approver)" }
}

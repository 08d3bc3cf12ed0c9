import KuraCatalog

/// A custodian: everything but the sealed key. `custodian list` prints these.
struct CustodianJSON: Encodable {
    var record: CustodianRecord
    var approvedBy: [String]

    init(_ record: CustodianRecord, approvedBy: [String]) {
        self.record = record
        self.approvedBy = approvedBy
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, title, organization, phone, location, status, approvedBy = "approved_by", publicKey = "public_key",
             addedAt = "added_at", revokedBy = "revoked_by", revokedAt = "revoked_at", certificateSubject = "certificate_subject"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.name, forKey: .name)
        try c.encode(record.kind.rawValue, forKey: .kind)
        try c.encode(record.title, forKey: .title)
        try c.encode(record.organization, forKey: .organization)
        try c.encode(record.phone, forKey: .phone)
        try c.encode(record.location, forKey: .location)
        try c.encode(record.status.rawValue, forKey: .status)
        try c.encode(approvedBy, forKey: .approvedBy)
        try c.encode(record.publicKey, forKey: .publicKey)
        try c.encode(JSONTime.string(record.addedAt), forKey: .addedAt)
        try c.encode(record.revokedBy, forKey: .revokedBy)
        try c.encode(JSONTime.string(record.revokedAt), forKey: .revokedAt)
        try c.encode(record.certificateSubject, forKey: .certificateSubject)
    }
}

import KuraCatalog

/// How `report` and `audit verify` state whether custodians are who they say they are: one line, then, on an
/// anchored catalog, each custodian's certificate subject.
enum IdentitiesText {
    static func print(_ identities: CustodianIdentities) {
        Swift.print("custodian identities: \(identities.summary); \(identities.consequence)")
        guard identities.anchored else { return }
        for custodian in identities.custodians {
            Swift.print("  \(custodian.name): certificate \(custodian.certificateSubject ?? "none")")
        }
    }
}

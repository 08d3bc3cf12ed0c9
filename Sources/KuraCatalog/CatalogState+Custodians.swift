import KuraCrypto

extension CatalogState {
    mutating func addCustodian(_ p: CustodianAdded, _ context: EventContext) throws {
        try CatalogText.requireSingleLine(p.name, what: "custodian name")
        try CatalogText.requireSingleLine(p.title, what: "title")
        try CatalogText.requireSingleLine(p.organization, what: "organization")
        try CatalogText.requireSingleLine(p.phone, what: "phone")
        try CatalogText.requireSingleLine(p.location, what: "location")
        guard context.actor == p.name else {
            throw CatalogError.refused(.selfEnrolment, "custodian \(p.name) must add themselves, signing with their new key")
        }
        guard custodians[p.name] == nil else {
            throw CatalogError.refused(.custodianNameTaken, "a custodian named \(p.name) already exists")
        }
        guard Hex.decode(p.publicKey)?.count == Signing.publicKeyBytes else {
            throw CatalogError(.invalid, "custodian \(p.name): public key is not \(Signing.publicKeyBytes) bytes of hex")
        }
        let certificate = try enrolmentCertificate(p)
        // A machine is never a founding custodian and does not count as one: two people found the catalog.
        let isMachine = p.machine == true
        let founders = custodians.values.filter { !$0.isMachine }.count
        custodians[p.name] = CustodianRecord(
            name: p.name, title: p.title, organization: p.organization, phone: p.phone, location: p.location,
            status: !isMachine && founders < Self.foundingCustodians ? .active : .pending,
            publicKey: p.publicKey, sealedSecretKey: p.sealedSecretKey, kdfSalt: p.kdfSalt,
            kdfOpsLimit: p.kdfOpsLimit, kdfMemLimit: p.kdfMemLimit,
            addedAt: context.timeText, addedEvent: context.sequence,
            certificateSubject: certificate?.subject, certificateKey: certificate?.keyIdentity,
            kind: isMachine ? .machine : .person)
    }

    /// Throws unless an enrolment of `name` with (`given`) or without a certificate suits this catalog: on an
    /// anchored catalog every enrolment carries one; without an anchor none is accepted, since nothing could vouch
    /// for it. For the CLI to refuse before it asks for a passphrase; the rules below check it again.
    public func requireCertificatePresence(for name: String, given: Bool) throws {
        if let anchor = trustAnchor, !given {
            throw CatalogError.refused(.certificateRequired, "this catalog is anchored to the CA \(anchor.authority): "
                + "custodian \(name) must enrol with a certificate issued under it and its private key "
                + "(--certificate, --certificate-key)")
        }
        if trustAnchor == nil, given {
            throw CatalogError.refused(.certificateNeedsAnchor, "this catalog has no trust anchor, so custodian "
                + "\(name)'s certificate cannot be verified; a trust anchor is chosen when a catalog is created "
                + "(`kura catalog init --trust-anchor`)")
        }
    }

    /// On an anchored catalog every enrolment carries a certificate, and no certificate (by key or by subject) backs
    /// two custodians, revoked ones included: one person, one custodian. The chain and the proof of possession are
    /// checked by `Catalog.verifyCertificate`.
    private func enrolmentCertificate(_ p: CustodianAdded) throws -> CustodianCertificate? {
        try requireCertificatePresence(for: p.name, given: p.certificate != nil || p.certificateProof != nil)
        guard trustAnchor != nil else { return nil }
        guard let pem = p.certificate, p.certificateProof?.isEmpty == false else {
            throw CatalogError.refused(.certificateKeyPossession, "custodian \(p.name) enrolled with a certificate "
                + "but no proof of possession of its key")
        }
        let certificate = try CustodianCertificate(pem: pem, of: p.name)
        let key = certificate.keyIdentity, subject = certificate.subject
        if let other = custodians.values.sorted(by: { $0.addedEvent < $1.addedEvent })
            .first(where: { $0.certificateKey == key || $0.certificateSubject == subject }) {
            throw CatalogError.refused(.oneCustodianPerCertificate,
                (other.certificateKey == key ? "the key of certificate \(subject)" : "certificate subject \(subject)")
                + " already backs custodian \(other.name); one person is one custodian")
        }
        return certificate
    }

    mutating func approveCustodian(_ p: CustodianApproved, _ context: EventContext) throws {
        guard p.name != context.actor else {
            throw CatalogError.refused(.noSelfApproval, "custodian \(p.name) cannot approve themselves")
        }
        try requireActiveSigner(context.actor)
        guard var custodian = custodians[p.name] else { throw CatalogError(.notFound, "no custodian named '\(p.name)'") }
        guard custodian.status == .pending else {
            throw CatalogError.refused(.approveOnlyPending, "custodian \(p.name) is \(custodian.status.rawValue), not pending")
        }
        let approval = CustodianApprovalRecord(custodian: p.name, approver: context.actor, approvedAt: context.timeText,
                                               event: context.sequence)
        guard approvals[approval.key] == nil else {
            throw CatalogError.refused(.oneApprovalPerApprover, "\(context.actor) has already approved \(p.name); "
                + "a different active custodian must approve")
        }
        approvals[approval.key] = approval
        if approvers(of: p.name).count >= Self.approvalsNeeded {
            custodian.status = .active
            custodians[p.name] = custodian
        }
    }

    mutating func revokeCustodian(_ p: CustodianRevoked, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        guard var custodian = custodians[p.name] else { throw CatalogError(.notFound, "no custodian named '\(p.name)'") }
        guard custodian.status != .revoked else {
            throw CatalogError.refused(.alreadyRevoked, "custodian \(p.name) was already revoked at \(custodian.revokedAt ?? "?")")
        }
        custodian.status = .revoked
        custodian.revokedBy = context.actor
        custodian.revokedAt = context.timeText
        custodian.revokedEvent = context.sequence
        custodians[p.name] = custodian
    }
}

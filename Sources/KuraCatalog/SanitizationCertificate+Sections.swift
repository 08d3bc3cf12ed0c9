extension SanitizationCertificate {
    public struct Section: Sendable {
        public var title: String
        public var fields: [(label: String, value: String)]
    }

    public static let title = "Certificate of Sanitization"
    public static let standard = "NIST SP 800-88 Rev. 1, Appendix G; ISO/IEC 27001 A.7.10, A.7.14"

    /// The certificate's fields in the order of NIST SP 800-88's sample certificate, then the disposal's
    /// authorization and its place in the audit log. The text and HTML forms both print exactly these.
    public var sections: [Section] {
        [
            Section(title: "Person Performing Sanitization", fields: personFields(performer)),
            Section(title: "Media Information", fields: [
                ("Make/Vendor", media.make), ("Model Number", media.model), ("Serial Number", media.serial),
                ("Barcode", media.barcode), ("Media Property Number", media.propertyNumber), ("Media Type", media.mediaType),
                ("Source", media.source), ("Classification", media.classification),
                ("Data Backed Up", media.dataBackedUp), ("Backup Location", media.backupLocation),
            ]),
            Section(title: "Sanitization Details", fields: [
                ("Method Type", sanitization.methodType), ("Method Used", sanitization.methodUsed),
                ("Method Details", sanitization.methodDetails), ("Tool Used (incl. version)", sanitization.tool),
                ("Verification Method", sanitization.verification),
                ("Post-Sanitization Classification", sanitization.postSanitizationClassification),
                ("Notes", sanitization.notes),
            ]),
            Section(title: "Media Destination", fields: [("Destination", destination), ("Catalog State", outcome)]),
            Section(title: "Performer's Signature", fields: signatureFields(performer)),
            Section(title: "Validation", fields: personFields(validator) + signatureFields(validator)),
            Section(title: "Disposal Authorization", fields: [
                ("Disposal ID", String(disposal)), ("Reason", reason),
                ("Requested By", describe(requester)), ("Requester's Signature", requester.signature),
                ("Approved By", describe(approver)), ("Approver's Signature", approver.signature),
            ]),
            Section(title: "Signer Identities", fields: [
                ("Custodian Identities", identities.statement),
                ("Trust Anchor", identities.authority ?? "none (self-asserted identities)"),
                ("Requester's Certificate", certificate(requester)), ("Approver's Certificate", certificate(approver)),
                ("Performer's Certificate", certificate(performer)), ("Validator's Certificate", certificate(validator)),
            ]),
            Section(title: "Medium History (backup sets, corrections, withdrawn requests)", fields: history.isEmpty
                ? [("Events", "none")]
                : history.map { ("Event \($0.event), \($0.date)", "\($0.what) (signed by \($0.signer))") }),
            Section(title: "Audit Log Position", fields: [
                ("Request", position(requester)), ("Approval", position(approver)),
                ("Sanitization Record", position(performer)), ("Validation", position(validator)),
                ("Log Head When Issued", "event \(auditLogEvents), hash \(auditLogHead)"),
                ("Issued At", issuedAt),
            ]),
        ]
    }

    private func personFields(_ step: SignedStep) -> [(label: String, value: String)] {
        [("Name", step.person.name), ("Title", step.person.title), ("Organization", step.person.organization),
         ("Location", step.person.location), ("Phone", step.person.phone)]
    }

    private func signatureFields(_ step: SignedStep) -> [(label: String, value: String)] {
        [("Signature (Ed25519)", step.signature), ("Signer's Public Key", step.publicKey), ("Date", step.date)]
    }

    private func certificate(_ step: SignedStep) -> String {
        step.certificateSubject.map { "\(step.person.name): \($0)" } ?? "\(step.person.name): none (self-asserted)"
    }

    private func describe(_ step: SignedStep) -> String {
        "\(step.person.name), \(step.person.title), \(step.person.organization), on \(step.date)"
    }

    private func position(_ step: SignedStep) -> String {
        "event \(step.event) by \(step.person.name), hash \(step.eventHash)"
    }
}

extension SanitizationCertificate {
    public struct Section: Sendable {
        public var title: String
        public var fields: [(label: String, value: String)]
    }

    public static let title = Strings.english.title
    public static let standard = Strings.english.standard

    /// The certificate's fields in the order of NIST SP 800-88's sample certificate, then the disposal's
    /// authorization and its place in the audit log. The text and HTML forms both print exactly these.
    public var sections: [Section] { sections(Strings.english) }

    public func sections(_ s: Strings) -> [Section] {
        let v = s.value
        return [
            Section(title: s.performerSection, fields: personFields(performer, s)),
            Section(title: s.mediaSection, fields: [
                (s.make, v(media.make ?? "not recorded")), (s.model, v(media.model ?? "not recorded")), (s.serial, media.serial),
                (s.barcode, v(media.barcode ?? "none")), (s.propertyNumber, v(media.propertyNumber ?? "not recorded")),
                (s.mediaType, media.mediaType),
                (s.source, v(media.source ?? "no backup set recorded")), (s.classification, media.classification),
                (s.dataBackedUp, v(media.dataBackedUp ? "Yes" : "Unknown (no backup set recorded on this medium)")),
                (s.backupLocation, v(media.backupLocation ?? "none recorded")),
            ]),
            Section(title: s.sanitizationSection, fields: [
                (s.methodType, v(sanitization.methodType)), (s.methodUsed, sanitization.methodUsed ?? ""),
                (s.methodDetails, v(sanitization.methodDetails ?? "none")), (s.tool, sanitization.tool ?? ""),
                (s.verification, sanitization.verification ?? ""),
                (s.postClassification, sanitization.postSanitizationClassification ?? ""),
                (s.notes, v(sanitization.notes ?? "none")),
            ]),
            Section(title: s.destinationSection, fields: [(s.destination, v(destination)), (s.catalogState, v(outcome))]),
            Section(title: s.performerSignatureSection, fields: signatureFields(performer, date: s.performedAt, s)),
            Section(title: s.validationSection, fields: personFields(validator, s) + signatureFields(validator, date: s.validatedAt, s)),
            Section(title: s.authorizationSection, fields: [
                (s.disposalID, String(disposal)), (s.reason, reason),
                (s.requestedBy, describe(requester, s)), (s.requesterSignature, requester.signature),
                (s.approvedBy, describe(approver, s)), (s.approverSignature, approver.signature),
            ]),
            Section(title: s.identitiesSection, fields: [
                (s.custodianIdentities, s.identityStatement(identities)),
                (s.trustAnchor, identities.authority ?? s.noAnchor),
                (s.requesterCertificate, certificate(requester, s)), (s.approverCertificate, certificate(approver, s)),
                (s.performerCertificate, certificate(performer, s)), (s.validatorCertificate, certificate(validator, s)),
            ]),
            Section(title: s.historySection, fields: history.isEmpty
                ? [s.noHistory]
                : history.map { s.historyEvent($0.event, s.language.time($0.date), $0.what, $0.signer) }),
            Section(title: s.auditSection, fields: [
                (s.request, position(requester, s)), (s.approval, position(approver, s)),
                (s.sanitizationRecord, position(performer, s)), (s.validation, position(validator, s)),
                (s.logHead, s.head(auditLogEvents, auditLogHead)),
                (s.issuedAt, s.language.time(issuedAt)),
            ]),
        ]
    }

    /// The line under the title and the identities line, in the document's language.
    func headline(_ s: Strings) -> (summary: String, identities: String) {
        (s.summary(media.serial, s.value(outcome), sanitization.methodType, sanitization.methodUsed ?? ""),
         s.signerIdentities(s.identitySummary(identities)))
    }

    private func personFields(_ step: SignedStep, _ s: Strings) -> [(label: String, value: String)] {
        [(s.name, step.person.name), (s.personTitle, step.person.title), (s.organization, step.person.organization),
         (s.location, s.value(step.person.location ?? "not recorded")), (s.phone, s.value(step.person.phone ?? "not recorded"))]
    }

    private func signatureFields(_ step: SignedStep, date: String, _ s: Strings) -> [(label: String, value: String)] {
        [(s.signature, step.signature), (s.publicKey, step.publicKey), (date, s.language.time(step.date))]
    }

    private func certificate(_ step: SignedStep, _ s: Strings) -> String {
        s.certificateOf(step.person.name, step.certificateSubject)
    }

    private func describe(_ step: SignedStep, _ s: Strings) -> String {
        s.person(step.person.name, step.person.title, step.person.organization, s.language.time(step.date))
    }

    private func position(_ step: SignedStep, _ s: Strings) -> String {
        s.position(step.event, step.person.name, step.eventHash)
    }
}

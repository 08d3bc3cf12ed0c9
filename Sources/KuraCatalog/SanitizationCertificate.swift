import GRDB

/// A certificate of sanitization with every field of NIST SP 800-88 Rev. 1's sample certificate (Appendix G),
/// plus who requested and approved the disposal and where each signed step sits in the audit log.
public struct SanitizationCertificate: Codable, Sendable {
    public struct Person: Codable, Sendable {
        public var name: String
        public var title: String
        public var organization: String
        /// nil when the custodian's record has none (the printed forms say "not recorded").
        public var location: String?
        public var phone: String?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(title, forKey: .title)
            try c.encode(organization, forKey: .organization)
            try c.encode(location, forKey: .location)
            try c.encode(phone, forKey: .phone)
        }
    }

    /// A signed step: who, when, and the event that carries their Ed25519 signature.
    public struct SignedStep: Codable, Sendable {
        public var person: Person
        public var date: String
        public var event: Int64
        public var eventHash: String
        public var signature: String
        public var publicKey: String
        /// Subject of the X.509 certificate the signer enrolled with, on an anchored catalog; nil when self-asserted.
        public var certificateSubject: String?

        enum CodingKeys: String, CodingKey {
            case person, date, event, signature
            case eventHash = "event_hash"
            case publicKey = "public_key"
            case certificateSubject = "certificate_subject"
        }
    }

    public struct MediaInformation: Codable, Sendable {
        /// nil when not recorded (the printed forms say so in the document's language).
        public var make: String?
        public var model: String?
        public var serial: String
        public var barcode: String?
        public var propertyNumber: String?
        public var mediaType: String
        /// The sources of the backup sets written to the medium; nil when none was recorded.
        public var source: String?
        public var classification: String
        /// Whether any backup set was recorded on the medium.
        public var dataBackedUp: Bool
        /// The repositories those sets came from; nil when none was recorded.
        public var backupLocation: String?

        enum CodingKeys: String, CodingKey {
            case make, model, serial, barcode, source, classification
            case propertyNumber = "property_number"
            case mediaType = "media_type"
            case dataBackedUp = "data_backed_up"
            case backupLocation = "backup_location"
        }

        /// Every field, null when not recorded (kura-json(5)).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(make, forKey: .make)
            try c.encode(model, forKey: .model)
            try c.encode(serial, forKey: .serial)
            try c.encode(barcode, forKey: .barcode)
            try c.encode(propertyNumber, forKey: .propertyNumber)
            try c.encode(mediaType, forKey: .mediaType)
            try c.encode(source, forKey: .source)
            try c.encode(classification, forKey: .classification)
            try c.encode(dataBackedUp, forKey: .dataBackedUp)
            try c.encode(backupLocation, forKey: .backupLocation)
        }
    }

    public struct SanitizationDetails: Codable, Sendable {
        public var methodType: String
        public var methodUsed: String?
        public var methodDetails: String?
        public var tool: String?
        public var verification: String?
        public var postSanitizationClassification: String?
        public var notes: String?

        enum CodingKeys: String, CodingKey {
            case tool, verification, notes
            case methodType = "method_type"
            case methodUsed = "method_used"
            case methodDetails = "method_details"
            case postSanitizationClassification = "post_sanitization_classification"
        }

        /// Every field, null when not recorded (kura-json(5)).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(methodType, forKey: .methodType)
            try c.encode(methodUsed, forKey: .methodUsed)
            try c.encode(methodDetails, forKey: .methodDetails)
            try c.encode(tool, forKey: .tool)
            try c.encode(verification, forKey: .verification)
            try c.encode(postSanitizationClassification, forKey: .postSanitizationClassification)
            try c.encode(notes, forKey: .notes)
        }
    }

    /// A step in the medium's life that the certificate's reader should see besides the disposal itself: each
    /// backup set written to it (and by whom: a person or a machine), each correction of its record, each
    /// withdrawn disposal request.
    public struct HistoryEntry: Codable, Sendable {
        public var event: Int64
        public var date: String
        public var signer: String
        public var what: String
    }

    public var disposal: Int64
    public var reason: String
    public var outcome: String
    public var media: MediaInformation
    public var sanitization: SanitizationDetails
    public var destination: String
    public var requester: SignedStep
    public var approver: SignedStep
    public var performer: SignedStep
    public var validator: SignedStep
    /// The log's length and head hash when the certificate was issued.
    public var auditLogEvents: Int64
    public var auditLogHead: String
    public var issuedAt: String
    /// Whether the signers' identities are anchored to the organisation's CA or self-asserted.
    public var identities: CustodianIdentities
    public var history: [HistoryEntry]

    enum CodingKeys: String, CodingKey {
        case disposal, reason, outcome, media, sanitization, destination, requester, approver, performer, validator
        case identities, history
        case auditLogEvents = "audit_log_events"
        case auditLogHead = "audit_log_head"
        case issuedAt = "issued_at"
    }
}

extension SanitizationCertificate {
    /// The kinds of event the certificate's history lists.
    static let historyKinds: Set<String> = [BackupSetRecorded.kind, MediumAmended.kind, DisposalCancelled.kind]
}

extension Catalog {
    /// The certificate for the newest validated disposal of a medium (or the one given).
    public func certificate(for serialOrBarcode: String, disposal id: Int64? = nil) throws -> SanitizationCertificate {
        let report = try report(for: serialOrBarcode)
        let validated = report.disposals.filter { $0.isValidated && (id == nil || $0.id == id) }
        guard let disposal = validated.last, let method = disposal.method, let destination = disposal.destination,
              let approveEvent = disposal.approveEvent, let recordEvent = disposal.recordEvent,
              let validateEvent = disposal.validateEvent else {
            throw CatalogError.refused(.certificateNeedsValidation, "medium \(report.medium.serial) has no validated "
                + "sanitization\(id.map { " with disposal id \($0)" } ?? ""); record and validate one first")
        }
        let identities = try state().identities
        return try storage {
            try database.read { db in
                func step(_ sequence: Int64) throws -> SanitizationCertificate.SignedStep {
                    guard let event = try EventRecord.fetchOne(db, key: sequence),
                          let custodian = try CustodianRecord.fetchOne(db, key: event.actor) else {
                        throw CatalogError(.verificationFailed, "event \(sequence) or its signer is missing; run `kura audit verify`")
                    }
                    let person = SanitizationCertificate.Person(name: custodian.name, title: custodian.title, organization: custodian.organization,
                                        location: custodian.location, phone: custodian.phone)
                    return SanitizationCertificate.SignedStep(person: person, date: event.occurredAt, event: event.sequence, eventHash: event.hash,
                                      signature: event.signature, publicKey: custodian.publicKey,
                                      certificateSubject: custodian.certificateSubject)
                }
                let medium = report.medium
                let copies = report.backupSets
                let sources = Array(Set(copies.flatMap(\.sources.values))).sorted()
                let repositories = Array(Set(copies.map(\.repositoryID))).sorted()
                let head = try EventRecord.newest(db)
                let machines = Set(try CustodianRecord.fetchAll(db).filter(\.isMachine).map(\.name))
                let history = report.history.filter { SanitizationCertificate.historyKinds.contains($0.kind) }.map {
                    SanitizationCertificate.HistoryEntry(event: $0.sequence, date: $0.occurredAt,
                                                         signer: machines.contains($0.actor) ? "\($0.actor) (machine)" : $0.actor,
                                                         what: $0.summary)
                }
                return SanitizationCertificate(
                    disposal: disposal.id, reason: disposal.reason, outcome: disposal.outcome?.rawValue ?? "",
                    media: SanitizationCertificate.MediaInformation(
                        make: medium.make, model: medium.model, serial: medium.serial,
                        barcode: medium.barcode, propertyNumber: medium.propertyNumber,
                        mediaType: medium.mediaType + (medium.capacity.map { ", \($0)" } ?? ""),
                        source: sources.isEmpty ? nil : sources.joined(separator: ", "),
                        classification: medium.classification,
                        dataBackedUp: !copies.isEmpty,
                        backupLocation: repositories.isEmpty ? nil
                            : repositories.map { "kura repository \($0)" }.joined(separator: ", ")),
                    sanitization: SanitizationCertificate.SanitizationDetails(
                        methodType: method.rawValue.capitalized, methodUsed: disposal.technique,
                        methodDetails: disposal.details, tool: disposal.tool,
                        verification: disposal.verification,
                        postSanitizationClassification: disposal.postClassification,
                        notes: disposal.notes),
                    destination: destination.rawValue,
                    requester: try step(disposal.id), approver: try step(approveEvent),
                    performer: try step(recordEvent), validator: try step(validateEvent),
                    auditLogEvents: head?.sequence ?? 0, auditLogHead: head?.hash ?? EventRecord.genesisHash,
                    issuedAt: CatalogTime.format(now), identities: identities, history: history)
            }
        }
    }
}

/// The payload of each kind of event, stored as a JSON object in `events.payload`.
/// Field names here are the JSON keys; man/kura-catalog.5 lists them.
public protocol EventPayload: Codable, Equatable, Sendable {
    /// The event kind stored in `events.kind`, e.g. `media.moved`.
    static var kind: String { get }
    /// What the event is about, stored in `events.subject`: a serial, a custodian name or a location.
    var subject: String { get }
}

public struct CustodianAdded: EventPayload {
    public static let kind = "custodian.added"
    public var name: String
    public var title: String
    public var organization: String
    public var phone: String?
    public var location: String?
    public var publicKey: String
    public var sealedSecretKey: String
    public var kdfSalt: String
    public var kdfOpsLimit: Int64
    public var kdfMemLimit: Int64
    /// On an anchored catalog: the custodian's X.509 certificate in PEM, then any intermediate CA certificates.
    public var certificate: String?
    /// The certificate key's signature of the enrolment challenge (`CustodianCertificate.challenge`), hex.
    public var certificateProof: String?
    /// True for a machine signer (`kura custodian add HOST --machine`); absent for a person.
    public var machine: Bool?
    public var subject: String { name }

    public init(name: String, title: String, organization: String, phone: String?, location: String?, key: SealedSigningKey) {
        self.name = name
        self.title = title
        self.organization = organization
        self.phone = phone
        self.location = location
        publicKey = key.publicKey
        sealedSecretKey = key.sealedSecretKey
        kdfSalt = key.kdfSalt
        kdfOpsLimit = key.kdfOpsLimit
        kdfMemLimit = key.kdfMemLimit
    }
}

/// Event 1 of an anchored catalog: the organisation's CA certificate, chosen when the catalog was created.
/// Unsigned (no custodian exists yet); the hash chain binds it, so it cannot be added, swapped or removed later.
public struct CatalogAnchored: EventPayload {
    public static let kind = "catalog.anchored"
    public static let actor = "catalog"
    /// 16 random bytes, hex: names this catalog in every enrolment challenge, so a proof cannot be replayed elsewhere.
    public var catalogID: String
    /// The CA certificate, PEM.
    public var certificate: String
    /// Its subject (RFC 4514), as the certificate says; for readers of the log.
    public var authority: String
    public var subject: String { "catalog" }

    public init(catalogID: String, certificate: String, authority: String) {
        self.catalogID = catalogID
        self.certificate = certificate
        self.authority = authority
    }
}

public struct CustodianApproved: EventPayload {
    public static let kind = "custodian.approved"
    public var name: String
    public var subject: String { name }
    public init(name: String) { self.name = name }
}

public struct CustodianRevoked: EventPayload {
    public static let kind = "custodian.revoked"
    public var name: String
    public var reason: String?
    public var subject: String { name }
    public init(name: String, reason: String?) {
        self.name = name
        self.reason = reason
    }
}

public struct MediumAdded: EventPayload {
    public static let kind = "media.added"
    public var serial: String
    public var mediaType: String
    public var barcode: String?
    public var capacity: String?
    public var propertyNumber: String?
    public var make: String?
    public var model: String?
    public var classification: String
    public var location: String
    public var subject: String { serial }

    public init(serial: String, mediaType: String, barcode: String? = nil, capacity: String? = nil,
                propertyNumber: String? = nil, make: String? = nil, model: String? = nil,
                classification: String, location: String) {
        self.serial = serial
        self.mediaType = mediaType
        self.barcode = barcode
        self.capacity = capacity
        self.propertyNumber = propertyNumber
        self.make = make
        self.model = model
        self.classification = classification
        self.location = location
    }
}

public struct MediumMoved: EventPayload {
    public static let kind = "media.moved"
    public var serial: String
    public var to: String
    public var courier: String
    public var subject: String { serial }
    public init(serial: String, to: String, courier: String) {
        self.serial = serial
        self.to = to
        self.courier = courier
    }
}

public struct MediumReceived: EventPayload {
    public static let kind = "media.received"
    public var serial: String
    public var subject: String { serial }
    public init(serial: String) { self.serial = serial }
}

public struct HoldPlaced: EventPayload {
    public static let kind = "media.hold-placed"
    public var serial: String
    public var reason: String
    public var subject: String { serial }
    public init(serial: String, reason: String) {
        self.serial = serial
        self.reason = reason
    }
}

public struct HoldReleased: EventPayload {
    public static let kind = "media.hold-released"
    public var serial: String
    /// The id of the hold (the sequence of the event that placed it).
    public var hold: Int64
    public var subject: String { serial }
    public init(serial: String, hold: Int64) {
        self.serial = serial
        self.hold = hold
    }
}

public struct BackupSetRecorded: EventPayload {
    public static let kind = "media.backup-set-recorded"
    public var serial: String
    public var repositoryID: String
    public var snapshotIDs: [String]
    public var sources: [String]
    public var bytes: Int64
    public var retainUntil: String
    public var keySlotIDs: [String]
    public var keyDescription: String
    public var writtenAt: String
    /// The medium takes no more sets after this one (`active -> full`).
    public var mediumFull: Bool
    public var subject: String { serial }

    public init(serial: String, repositoryID: String, snapshotIDs: [String], sources: [String], bytes: Int64,
                retainUntil: String, keySlotIDs: [String], keyDescription: String, writtenAt: String, mediumFull: Bool) {
        self.serial = serial
        self.repositoryID = repositoryID
        self.snapshotIDs = snapshotIDs
        self.sources = sources
        self.bytes = bytes
        self.retainUntil = retainUntil
        self.keySlotIDs = keySlotIDs
        self.keyDescription = keyDescription
        self.writtenAt = writtenAt
        self.mediumFull = mediumFull
    }
}

public struct MediumQuarantined: EventPayload {
    public static let kind = "media.quarantined"
    public var serial: String
    public var reason: String
    public var subject: String { serial }
    public init(serial: String, reason: String) {
        self.serial = serial
        self.reason = reason
    }
}

public struct MediumLost: EventPayload {
    public static let kind = "media.lost"
    public var serial: String
    public var note: String?
    public var subject: String { serial }
    public init(serial: String, note: String? = nil) {
        self.serial = serial
        self.note = note
    }
}

public struct MediumFound: EventPayload {
    public static let kind = "media.found"
    public var serial: String
    /// Where it was found; nil keeps the last known location.
    public var location: String?
    public var subject: String { serial }
    public init(serial: String, location: String? = nil) {
        self.serial = serial
        self.location = location
    }
}

public struct DisposalRequested: EventPayload {
    public static let kind = "media.disposal-requested"
    public var serial: String
    public var reason: String
    public var subject: String { serial }
    public init(serial: String, reason: String) {
        self.serial = serial
        self.reason = reason
    }
}

public struct DisposalApproved: EventPayload {
    public static let kind = "media.disposal-approved"
    public var serial: String
    public var subject: String { serial }
    public init(serial: String) { self.serial = serial }
}

public struct SanitizationRecorded: EventPayload {
    public static let kind = "media.sanitization-recorded"
    public var serial: String
    public var method: SanitizationMethod
    public var technique: String
    public var tool: String
    public var verification: String
    public var destination: SanitizationDestination
    public var details: String?
    public var postClassification: String
    public var notes: String?
    public var subject: String { serial }

    public init(serial: String, method: SanitizationMethod, technique: String, tool: String, verification: String,
                destination: SanitizationDestination, details: String? = nil, postClassification: String, notes: String? = nil) {
        self.serial = serial
        self.method = method
        self.technique = technique
        self.tool = tool
        self.verification = verification
        self.destination = destination
        self.details = details
        self.postClassification = postClassification
        self.notes = notes
    }
}

public struct SanitizationValidated: EventPayload {
    public static let kind = "media.sanitization-validated"
    public var serial: String
    public var subject: String { serial }
    public init(serial: String) { self.serial = serial }
}

public struct MediumReused: EventPayload {
    public static let kind = "media.reused"
    public var serial: String
    public var subject: String { serial }
    public init(serial: String) { self.serial = serial }
}

public struct InventoryTaken: EventPayload {
    public static let kind = "inventory.taken"
    public var location: String
    /// Serials or barcodes scanned at the location, as given.
    public var scanned: [String]
    public var subject: String { location }
    public init(location: String, scanned: [String]) {
        self.location = location
        self.scanned = scanned
    }
}

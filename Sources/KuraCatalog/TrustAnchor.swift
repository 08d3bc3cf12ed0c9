import Foundation
import KuraCrypto
import X509

/// The organisation's CA certificate a catalog was created with (event 1, `catalog.anchored`): every custodian of
/// the catalog enrols with a certificate issued under it (man kura-catalog(5), TRUST ANCHOR).
public struct TrustAnchor: Codable, Sendable, Equatable {
    /// Names the catalog in every enrolment challenge.
    public var catalogID: String
    public var certificatePEM: String
    /// The CA's subject (RFC 4514), e.g. `CN=Example Custody CA,O=Example`.
    public var authority: String
    public var event: Int64

    /// The CA certificate in `pem`; throws `.invalid` unless it is one X.509 certificate that may issue others.
    static func parseAuthority(_ pem: String) throws -> Certificate {
        let certificates = try CustodianCertificate.parseBundle(pem, what: "trust anchor")
        guard certificates.count == 1, let authority = certificates.first else {
            throw CatalogError(.invalid, "the trust anchor must be exactly one CA certificate; the file holds \(certificates.count)")
        }
        switch try? authority.extensions.basicConstraints {
        case .isCertificateAuthority?:
            return authority
        default:
            throw CatalogError(.invalid, "trust anchor \(authority.subject) is not a CA certificate "
                + "(its basic constraints do not say CA:TRUE)")
        }
    }

    func certificate() throws -> Certificate {
        guard let authority = try CustodianCertificate.parseBundle(certificatePEM, what: "trust anchor").first else {
            throw CatalogError(.verificationFailed, "event \(event): the trust anchor holds no certificate")
        }
        return authority
    }
}

/// Whether custodians' identities are vouched for by a CA, as certificates, `report` and `audit verify` state it.
public struct CustodianIdentities: Codable, Sendable, Equatable {
    public struct Custodian: Codable, Sendable, Equatable {
        public var name: String
        public var certificateSubject: String?

        enum CodingKeys: String, CodingKey {
            case name
            case certificateSubject = "certificate_subject"
        }
    }

    public var anchored: Bool
    /// The CA's subject when anchored.
    public var authority: String?
    /// One sentence for an auditor.
    public var statement: String
    public var custodians: [Custodian]

    /// A few words: `self-asserted (not anchored to a CA)` or `anchored to the CA CN=…`.
    public var summary: String {
        authority.map { "anchored to the CA \($0)" } ?? "self-asserted (not anchored to a CA)"
    }

    /// What that means, in one clause.
    public var consequence: String {
        anchored ? "every custodian enrolled with a certificate issued under it and proved possession of its key"
            : "this catalog has no trust anchor, so no CA vouches that two custodians are two different people"
    }

    static func describe(anchor: TrustAnchor?, custodians: [Custodian]) -> CustodianIdentities {
        var identities = CustodianIdentities(anchored: anchor != nil, authority: anchor?.authority, statement: "",
                                             custodians: custodians)
        identities.statement = "Custodian identities are \(identities.summary): \(identities.consequence)."
        return identities
    }
}

extension CatalogState {
    /// How far this catalog's custodians are who they say they are.
    public var identities: CustodianIdentities {
        CustodianIdentities.describe(
            anchor: trustAnchor,
            custodians: custodians.values.sorted { $0.name < $1.name }
                .map { CustodianIdentities.Custodian(name: $0.name, certificateSubject: $0.certificateSubject) })
    }

    mutating func anchor(_ p: CatalogAnchored, _ context: EventContext) throws {
        guard context.sequence == 1, eventCount == 0, trustAnchor == nil else {
            throw CatalogError.refused(.anchorAtCreation, "a trust anchor is chosen when the catalog is created; "
                + "this catalog already has \(eventCount) events")
        }
        guard context.actor == CatalogAnchored.actor else {
            throw CatalogError(.invalid, "event \(context.sequence): the trust anchor is recorded as '\(CatalogAnchored.actor)', "
                + "not '\(context.actor)'")
        }
        guard Hex.decode(p.catalogID)?.count == 16 else {
            throw CatalogError(.invalid, "event \(context.sequence): catalog id is not 16 bytes of hex")
        }
        let authority = try TrustAnchor.parseAuthority(p.certificate)
        guard authority.subject.description == p.authority else {
            throw CatalogError(.invalid, "event \(context.sequence): the trust anchor's subject is \(authority.subject), "
                + "not \(p.authority)")
        }
        trustAnchor = TrustAnchor(catalogID: p.catalogID, certificatePEM: p.certificate, authority: p.authority,
                                  event: context.sequence)
    }
}

extension Catalog {
    /// Anchors a new catalog to the organisation's CA certificate (`pem`): the first event of its log, so it cannot be
    /// added to a catalog that has events, nor swapped or removed later without `audit verify` seeing it.
    @discardableResult
    public func anchor(toAuthority pem: String) throws -> EventRecord {
        let state = try state()
        guard state.eventCount == 0 else {
            throw CatalogError.refused(.anchorAtCreation, "catalog \(path) already has \(state.eventCount) events; a trust "
                + "anchor can only be chosen when a catalog is created")
        }
        let authority = try TrustAnchor.parseAuthority(pem)
        let change = CatalogChange(CatalogAnchored(catalogID: Hex.encode(RandomBytes.generate(16)),
                                                   certificate: pem.trimmingCharacters(in: .whitespacesAndNewlines) + "\n",
                                                   authority: authority.subject.description))
        try check(change, as: CatalogAnchored.actor)
        return try commit(change, as: CatalogAnchored.actor, at: now, secretKey: nil)
    }
}

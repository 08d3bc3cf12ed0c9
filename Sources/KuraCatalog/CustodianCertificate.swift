import Foundation
import Synchronization
import KuraCrypto
// A fixed validation time: an enrolment is judged at its event's time, also when `audit verify` re-checks it years later.
@_spi(FixedExpiryValidationTime) import X509

/// The X.509 certificate a custodian of an anchored catalog enrols with: their own certificate first, then any
/// intermediate CA certificates between it and the trust anchor.
struct CustodianCertificate {
    let leaf: Certificate
    let intermediates: [Certificate]

    init(pem: String, of name: String) throws {
        let certificates: [Certificate]
        do {
            certificates = try Self.parseBundle(pem, what: "certificate of custodian \(name)")
        } catch let error as CatalogError {
            throw CatalogError.refused(.certificateTrusted, error.message)
        }
        guard let leaf = certificates.first else {
            throw CatalogError.refused(.certificateTrusted, "the certificate of custodian \(name) holds no certificate")
        }
        self.leaf = leaf
        intermediates = Array(certificates.dropFirst())
    }

    /// The certificate's subject (RFC 4514).
    var subject: String { leaf.subject.description }

    /// BLAKE2b-256 of the certificate's SubjectPublicKeyInfo, hex: what makes two certificates one person's key.
    var keyIdentity: String { Hex.encode(Blake2b.hash256(Array(leaf.publicKey.subjectPublicKeyInfoBytes))) }

    /// Every `CERTIFICATE` block of `pem`, in order; `.invalid` if there is none or one does not parse.
    static func parseBundle(_ pem: String, what: String) throws -> [Certificate] {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        var certificates: [Certificate] = []
        var rest = Substring(pem)
        while let start = rest.range(of: begin) {
            guard let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) else {
                throw CatalogError(.invalid, "\(what): a PEM certificate block has no END line")
            }
            do {
                certificates.append(try Certificate(pemEncoded: String(rest[start.lowerBound..<stop.upperBound])))
            } catch {
                throw CatalogError(.invalid, "\(what): PEM block \(certificates.count + 1) is not an X.509 certificate")
            }
            rest = rest[stop.upperBound...]
        }
        guard !certificates.isEmpty else { throw CatalogError(.invalid, "\(what) is not a PEM X.509 certificate") }
        return certificates
    }

    /// The bytes the certificate's key signs at enrolment: they bind the catalog, the custodian's name and the new
    /// Ed25519 key, so a proof cannot be moved to another name, key or catalog (man kura-catalog(5), TRUST ANCHOR).
    static func challenge(catalogID: String, name: String, publicKey: String) -> [UInt8] {
        var out = Array("kura-custodian-enrolment-v1\n".utf8)
        for (label, value) in [("catalog", catalogID), ("name", name), ("key", publicKey)] {
            let utf8 = Array(value.utf8)
            out += Array("\(label) \(utf8.count) ".utf8) + utf8 + [UInt8(ascii: "\n")]
        }
        return out
    }

    /// Algorithms a proof may use, by key type: Ed25519, ECDSA (P-256, P-384, P-521) and RSA PKCS #1 v1.5.
    private static let proofAlgorithms: [Certificate.SignatureAlgorithm] = [
        .ed25519, .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512, .sha256WithRSAEncryption,
    ]

    /// Signs `challenge` with the certificate's private key (PEM: PKCS #8, SEC 1 or PKCS #1); the signature, hex.
    func prove(_ challenge: [UInt8], privateKeyPEM: String, of name: String) throws -> String {
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        } catch {
            throw CatalogError(.invalid, "the certificate key of custodian \(name) is not an unencrypted PEM private key "
                + "(Ed25519, ECDSA or RSA)")
        }
        guard key.publicKey == leaf.publicKey else {
            throw CatalogError.refused(.certificateKeyPossession, "the certificate key given for custodian \(name) is not "
                + "the key of certificate \(subject)")
        }
        guard let algorithm = Self.proofAlgorithms.first(where: key.supportedSignatureAlgorithms.contains) else {
            throw CatalogError(.invalid, "the certificate key of custodian \(name) cannot sign with a supported algorithm")
        }
        do {
            return Hex.encode(try key.sign(bytes: challenge, signatureAlgorithm: algorithm).rawRepresentation)
        } catch {
            throw CatalogError(.invalid, "the certificate key of custodian \(name) could not sign: \(error)")
        }
    }

    /// Throws `.certificateKeyPossession` unless `proof` is the certificate key's signature of `challenge`.
    func checkProof(_ proof: String, challenge: [UInt8], of name: String) throws {
        guard let signature = Hex.decode(proof),
              Self.proofAlgorithms.contains(where: { leaf.publicKey.isValidSignature(signature, for: challenge, signatureAlgorithm: $0) })
        else {
            throw CatalogError.refused(.certificateKeyPossession, "custodian \(name) did not prove possession of the key of "
                + "certificate \(subject): the enrolment proof does not verify")
        }
    }

    /// Throws `.certificateTrusted` unless the certificate chains to `anchor` under the RFC 5280 policy at `time`
    /// and may sign (key usage digitalSignature, when the certificate restricts its key usage).
    func checkIssued(by anchor: TrustAnchor, at time: Date, of name: String) throws {
        func refuse(_ reason: String) -> CatalogError {
            CatalogError.refused(.certificateTrusted, "certificate \(subject) of custodian \(name) \(reason)")
        }
        if time < leaf.notValidBefore { throw refuse("is not valid before \(CatalogTime.format(leaf.notValidBefore))") }
        if time > leaf.notValidAfter { throw refuse("expired at \(CatalogTime.format(leaf.notValidAfter))") }
        if let usage = try? leaf.extensions.keyUsage, !usage.digitalSignature {
            throw refuse("does not allow digital signatures (key usage)")
        }
        let authority = try anchor.certificate()
        let leaf = leaf, intermediates = intermediates
        let result = waitForAsync {
            var verifier = Verifier(rootCertificates: CertificateStore([authority])) { RFC5280Policy(fixedExpiryValidationTime: time) }
            return await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        }
        switch result {
        case .validCertificate:
            return
        case .couldNotValidate(let failures) where failures.isEmpty:
            let hint = leaf.issuer == authority.subject ? ""
                : "; if that is an intermediate CA under the anchor, put its certificate after yours in the file"
            throw refuse("was not issued by the trust anchor \(anchor.authority) (its issuer is \(leaf.issuer)\(hint))")
        case .couldNotValidate(let failures):
            let reason = failures[0].policyFailureReason.description
            let brief = reason.contains("has expired") ? "a certificate in its chain has expired"
                : reason.contains("not yet valid") ? "a certificate in its chain is not yet valid"
                : "its chain to the trust anchor fails the RFC 5280 policy"
            throw refuse("does not verify against the trust anchor \(anchor.authority): \(brief)")
        }
    }
}

/// Runs `work` to completion and returns its result, for the synchronous catalog (swift-certificates' `Verifier`
/// is async though it does not wait on anything here). Called from the CLI's thread or GRDB's queue, never from a
/// task of the cooperative pool, which it would block.
private func waitForAsync<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let outcome = AsyncOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        outcome.value = await work()
        done.signal()
    }
    done.wait()
    return outcome.value!
}

/// Where `waitForAsync`'s task leaves its result.
private final class AsyncOutcome<T: Sendable>: Sendable {
    private let slot = Mutex<T?>(nil)
    var value: T? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}

extension Catalog {
    /// The certificate and the key that back an enrolment on an anchored catalog, as PEM text.
    public struct EnrolmentCertificate: Sendable {
        public var certificatePEM: String
        public var privateKeyPEM: String

        public init(certificatePEM: String, privateKeyPEM: String) {
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
        }
    }

    /// Checks what the cheap rules (`CatalogState.addCustodian`) leave out: the certificate chains to the anchor at
    /// the enrolment's time and the proof is its key's signature of this enrolment's challenge.
    static func verifyCertificate(of added: CustodianAdded, anchor: TrustAnchor, at time: Date) throws {
        guard let pem = added.certificate, let proof = added.certificateProof else { return }
        let certificate = try CustodianCertificate(pem: pem, of: added.name)
        try certificate.checkIssued(by: anchor, at: time, of: added.name)
        try certificate.checkProof(proof, challenge: CustodianCertificate.challenge(
            catalogID: anchor.catalogID, name: added.name, publicKey: added.publicKey), of: added.name)
    }
}

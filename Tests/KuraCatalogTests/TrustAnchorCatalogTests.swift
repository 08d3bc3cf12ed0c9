import Foundation
import GRDB
import KuraCrypto
import Testing
@testable import KuraCatalog

/// `audit verify` re-checks every enrolment's certificate and proof on an anchored catalog, so an enrolment event
/// rewritten and re-signed by its own custodian (who holds that key) still cannot borrow someone else's certificate.
@Suite("Trust anchor in the catalog (openssl is installed by scripts/install-deps)")
struct TrustAnchorCatalogTests {
    /// A CA and two people's certificates (ECDSA P-256 and Ed25519), made offline with openssl.
    static func makePKI(in directory: URL) throws -> (String) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = """
        set -e
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 \
          -subj '/CN=Unit CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign'
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout alice.key -out alice.csr -subj '/CN=Alice'
        openssl x509 -req -in alice.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out alice.pem
        openssl req -newkey ed25519 -nodes -keyout bob.key -out bob.csr -subj '/CN=Bob'
        openssl x509 -req -in bob.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out bob.pem
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openssl failed")
        return { name in try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }
    }

    @Test func verifyRechecksTheCertificateOfAReSignedEnrolment() throws {
        let f = try CatalogFile()
        let file = try Self.makePKI(in: f.directory.appendingPathComponent("pki"))
        // After the certificates exist: their notBefore is the second openssl ran in, which may be later than a
        // clock read before it.
        f.clock = CatalogTime.truncated(Date())
        try f.catalog.anchor(toAuthority: try file("ca.pem"))

        var secretKeys: [String: [UInt8]] = [:]
        for name in ["alice", "bob"] {
            let created = try SealedSigningKey.create(for: name, passphrase: "pw-\(name)", kdf: PasswordKey(opsLimit: 1, memLimit: 8192))
            secretKeys[name] = created.secretKey
            try f.catalog.enrol(CustodianAdded(name: name, title: "t", organization: "o", phone: nil, location: nil, key: created.key),
                                secretKey: created.secretKey,
                                certificate: .init(certificatePEM: try file("\(name).pem"), privateKeyPEM: try file("\(name).key")))
        }
        #expect(try f.catalog.verify().isIntact)
        #expect(try f.catalog.verify().identities.custodians.map(\.certificateSubject) == ["CN=Alice", "CN=Bob"])

        let anchor = try #require(try f.catalog.state().trustAnchor)
        let bob = try #require(try f.catalog.database.read { try EventRecord.fetchOne($0, key: 3) })
        var added = try JSONDecoder().decode(CustodianAdded.self, from: Data(bob.payload.utf8))

        /// Bob rewrites his own enrolment (the newest event) and signs it again with his key.
        func rewrite(_ change: (inout CustodianAdded) throws -> Void) throws -> VerificationReport {
            var payload = added
            try change(&payload)
            var event = bob
            event.payload = try CatalogChange(payload).encodedPayload()
            let canonical = CanonicalEvent.bytes(of: event)
            event.hash = CanonicalEvent.hash(canonical)
            event.signature = Hex.encode(try Signing.sign(canonical, secretKey: secretKeys["bob"]!))
            try f.catalog.database.write { try event.update($0) }
            return try f.catalog.verify()
        }

        // Alice's certificate with Bob's proof: the proof is not by the certificate's key.
        let borrowed = try rewrite { $0.certificate = try file("alice.pem") }
        #expect(borrowed.problems.first?.hasPrefix("event 3: enrolment of bob: refused by rule certificate-key-possession") == true,
                "\(borrowed.problems)")

        // Alice's certificate with a real proof by Alice's key: one certificate cannot back two custodians.
        let lent = try rewrite {
            $0.certificate = try file("alice.pem")
            $0.certificateProof = try CustodianCertificate(pem: try file("alice.pem"), of: "bob").prove(
                CustodianCertificate.challenge(catalogID: anchor.catalogID, name: "bob", publicKey: $0.publicKey),
                privateKeyPEM: try file("alice.key"), of: "bob")
        }
        #expect(lent.problems.first?.hasPrefix("event 3: breaks a catalog rule: refused by rule one-custodian-per-certificate")
                == true, "\(lent.problems)")

        // No certificate at all.
        let bare = try rewrite { $0.certificate = nil; $0.certificateProof = nil }
        #expect(bare.problems.first?.contains("certificate-required") == true, "\(bare.problems)")

        // Put back as it was, the log verifies again.
        added = try JSONDecoder().decode(CustodianAdded.self, from: Data(bob.payload.utf8))
        try f.catalog.database.write { try bob.update($0) }
        #expect(try f.catalog.verify().isIntact)
    }
}

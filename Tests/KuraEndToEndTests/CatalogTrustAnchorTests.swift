import Foundation
import Testing

/// A small PKI made with the `openssl` command-line tool, offline: the organisation's CA, certificates it issued to
/// two people (ECDSA P-256 and Ed25519), one it issued that has expired, and one issued by a different CA.
final class TestPKI {
    let directory: TemporaryDirectory


    init() throws {
        directory = try TemporaryDirectory("kura-pki")
        let script = """
        set -e
        cd '\(directory.path)'
        ca() { # name subject
          openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 \
            -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        }
        person() { # name keyalgorithm subject issuer
          openssl req -newkey $2 -nodes -keyout "$1.key" -out "$1.csr" -subj "$3"
          printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n' > "$1.ext"
          openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -CAcreateserial -days 3650 -extfile "$1.ext" -out "$1.pem"
        }
        ca ca '/O=Kura Test/CN=Kura Test Custody CA'
        ca other-ca '/O=Someone Else/CN=Other CA'
        person alice 'ec -pkeyopt ec_paramgen_curve:P-256' '/O=Kura Test/CN=Alice Custodian' ca
        person bob ed25519 '/O=Kura Test/CN=Bob Custodian' ca
        person mallory ed25519 '/O=Kura Test/CN=Mallory' other-ca
        # Issued by the right CA, valid only during 2020.
        openssl req -newkey ed25519 -nodes -keyout expired.key -out expired.csr -subj '/O=Kura Test/CN=Expired Person'
        mkdir -p db && : > db/index.txt && echo 1000 > db/serial
        printf '[ca]\\ndefault_ca=t\\n[t]\\ndatabase=db/index.txt\\nnew_certs_dir=db\\nserial=db/serial\\ndefault_md=sha256\\npolicy=p\\nunique_subject=no\\n[p]\\ncommonName=supplied\\norganizationName=optional\\n' > ca.cnf
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
          -startdate 20200101000000Z -enddate 20210101000000Z -notext
        """
        // openssl writes progress to stderr even when it succeeds; the exit status says whether it did.
        let result = try Kura.shell(script)
        guard result.status == 0 else { throw PosixFailure("openssl failed: \(result.stderr)") }
    }

    func path(_ file: String) -> String { directory.appending(file) }
}

/// Issue 12, item 3: two custodians means two people. With a trust anchor every enrolment is backed by a distinct
/// certificate from the organisation's CA; without one, every output that an auditor reads says identities are
/// self-asserted.
@Suite("Catalog trust anchor (openssl is installed by scripts/install-deps)")
struct CatalogTrustAnchorTests {
    static let caSubject = "CN=Kura Test Custody CA,O=Kura Test"

    static func enrol(_ f: CatalogFixture, _ name: String, certificate: String? = nil, key: String? = nil,
                      pki: TestPKI) throws -> KuraResult {
        var arguments = ["custodian", "add", name, "--title", "Custodian", "--org", "Kura Test"]
        if let certificate { arguments += ["--certificate", pki.path("\(certificate).pem")] }
        if let key { arguments += ["--certificate-key", pki.path("\(key).key")] }
        return try f.kura(arguments, passphraseOf: name)
    }

    @Test func oneCertificateCannotMakeTwoCustodians() throws {
        let pki = try TestPKI()
        let f = try CatalogFixture()
        let created = try f.ok(["catalog", "init", "--trust-anchor", pki.path("ca.pem")])
        #expect(created.output.contains("anchored to the CA \(Self.caSubject)"), "\(created.output)")

        let bare = try Self.enrol(f, "eve", pki: pki)
        #expect(bare.status == 20, "\(bare.stderr)")
        #expect(bare.stderr.contains("refused by rule certificate-required"), "\(bare.stderr)")

        let foreign = try Self.enrol(f, "eve", certificate: "mallory", key: "mallory", pki: pki)
        #expect(foreign.status == 20)
        #expect(foreign.stderr.contains("refused by rule certificate-trusted"), "\(foreign.stderr)")
        #expect(foreign.stderr.contains("was not issued by the trust anchor \(Self.caSubject)"), "\(foreign.stderr)")

        let expired = try Self.enrol(f, "eve", certificate: "expired", key: "expired", pki: pki)
        #expect(expired.status == 20)
        #expect(expired.stderr.contains("certificate-trusted") && expired.stderr.contains("expired at 2021-01-01"),
                "\(expired.stderr)")

        let wrongKey = try Self.enrol(f, "eve", certificate: "alice", key: "bob", pki: pki)
        #expect(wrongKey.status == 20)
        #expect(wrongKey.stderr.contains("refused by rule certificate-key-possession"), "\(wrongKey.stderr)")

        let halfGiven = try f.kura(["custodian", "add", "eve", "--title", "T", "--org", "O", "--certificate", pki.path("alice.pem")],
                                   passphraseOf: "eve")
        #expect(halfGiven.status == 64, "\(halfGiven.stderr)")
        #expect(try f.custodianStatuses().isEmpty, "a refused enrolment left a custodian behind")

        #expect(try Self.enrol(f, "eve", certificate: "alice", key: "alice", pki: pki).status == 0)
        let twice = try Self.enrol(f, "eve2", certificate: "alice", key: "alice", pki: pki)
        #expect(twice.status == 20)
        #expect(twice.stderr.contains("refused by rule one-custodian-per-certificate"), "\(twice.stderr)")
        #expect(twice.stderr.contains("already backs custodian eve"), "\(twice.stderr)")
        #expect(try f.custodianStatuses() == ["eve": "active"])

        // With a second person's certificate, the two-person disposal works as before.
        #expect(try Self.enrol(f, "bob", certificate: "bob", key: "bob", pki: pki).status == 0)
        #expect(try f.custodianStatuses() == ["eve": "active", "bob": "active"])
        try f.ok(["media", "add", "BLANK1", "--type", "HDD", "--as", "eve"])
        try f.ok(["media", "dispose", "request", "BLANK1", "--reason", "end of life", "--as", "eve"])
        try f.ok(["media", "dispose", "approve", "BLANK1", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "BLANK1", "--method", "purge", "--technique", "overwrite", "--tool", "nwipe 0.35",
                  "--verification", "full read-back", "--destination", "recycler", "--as", "eve"])
        try f.ok(["media", "dispose", "validate", "BLANK1", "--as", "bob"])
        #expect(try f.mediumState("BLANK1") == "disposed")

        let certificate = try f.ok(["media", "certificate", "BLANK1"]).output
        #expect(certificate.contains("Signer identities: anchored to the CA \(Self.caSubject)"), "\(certificate)")
        #expect(certificate.contains("eve: CN=Alice Custodian,O=Kura Test"))
        #expect(certificate.contains("bob: CN=Bob Custodian,O=Kura Test"))
        #expect(!certificate.contains("self-asserted"))
        let json = try f.ok(["media", "certificate", "BLANK1", "--json"])
        let parsed = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect((parsed?["identities"] as? [String: Any])?["anchored"] as? Bool == true)
        #expect((parsed?["approver"] as? [String: Any])?["certificate_subject"] as? String == "CN=Bob Custodian,O=Kura Test")

        let verify = try f.ok(["audit", "verify"]).output
        #expect(verify.contains("audit log intact"))
        #expect(verify.contains("anchored to the CA \(Self.caSubject)"), "\(verify)")
        #expect(verify.contains("eve: certificate CN=Alice Custodian,O=Kura Test"), "\(verify)")
        #expect(try f.ok(["report"]).output.contains("custodian identities: anchored to the CA \(Self.caSubject)"))

        // A stored certificate edited with sqlite3 is caught, naming its event.
        let eveEvent = try f.sqliteValue("SELECT sequence FROM events WHERE kind = 'custodian.added' AND subject = 'eve'")
        let bobPEM = try String(contentsOfFile: pki.path("bob.pem"), encoding: .utf8)
        let swapped = try f.copy()
        try swapped.sqlite("UPDATE events SET payload = json_set(payload, '$.certificate', '\(bobPEM)') WHERE sequence = \(eveEvent)")
        let tampered = try swapped.kura(["audit", "verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("audit verify failed: event \(eveEvent):"), "\(tampered.stderr)")

        // So is the projected subject, and a swapped trust anchor.
        let projected = try f.copy()
        try projected.sqlite("UPDATE custodians SET certificate_subject = 'CN=Someone Else' WHERE name = 'bob'")
        let projectedResult = try projected.kura(["audit", "verify"])
        #expect(projectedResult.status == 1)
        #expect(projectedResult.stderr.contains("custodian bob: certificate_subject"), "\(projectedResult.stderr)")

        let otherCA = try String(contentsOfFile: pki.path("other-ca.pem"), encoding: .utf8)
        let reanchored = try f.copy()
        try reanchored.sqlite("UPDATE events SET payload = json_set(payload, '$.certificate', '\(otherCA)') WHERE sequence = 1")
        let reanchoredResult = try reanchored.kura(["audit", "verify"])
        #expect(reanchoredResult.status == 1)
        #expect(reanchoredResult.stderr.contains("audit verify failed: event 1:"), "\(reanchoredResult.stderr)")

        #expect(try f.kura(["audit", "verify"]).status == 0, "the original catalog stays intact")
    }

    @Test func anchorIsChosenOnlyWhenTheCatalogIsCreated() throws {
        let pki = try TestPKI()
        let f = try CatalogFixture()
        try f.addCustodians(["alice"])
        let late = try f.kura(["catalog", "init", "--trust-anchor", pki.path("ca.pem")])
        #expect(late.status == 20)
        #expect(late.stderr.contains("refused by rule anchor-at-creation"), "\(late.stderr)")
        #expect(try f.sqliteValue("SELECT count(*) FROM events WHERE kind = 'catalog.anchored'") == "0")

        let unanchoredCertificate = try Self.enrol(f, "bob", certificate: "bob", key: "bob", pki: pki)
        #expect(unanchoredCertificate.status == 20)
        #expect(unanchoredCertificate.stderr.contains("certificate-needs-anchor"), "\(unanchoredCertificate.stderr)")
        #expect(try f.kura(["audit", "verify"]).status == 0)

        let anchored = try CatalogFixture()
        try anchored.ok(["catalog", "init", "--trust-anchor", pki.path("ca.pem")])
        let again = try anchored.kura(["catalog", "init", "--trust-anchor", pki.path("other-ca.pem")])
        #expect(again.status == 20)
        #expect(again.stderr.contains("anchor-at-creation"))
        let notCA = try CatalogFixture().kura(["catalog", "init", "--trust-anchor", pki.path("alice.pem")])
        #expect(notCA.status == 64, "\(notCA.stderr)")
        #expect(notCA.stderr.contains("not a CA certificate"), "\(notCA.stderr)")
    }

    @Test func unanchoredCatalogSaysIdentitiesAreSelfAsserted() throws {
        let f = try CatalogCertificateTests.disposedTape()
        let text = try f.ok(["media", "certificate", "HUL123456"]).output
        #expect(text.contains("Signer identities: self-asserted (not anchored to a CA)"), "\(text)")
        #expect(text.contains("Custodian identities are self-asserted"))
        let html = try f.ok(["media", "certificate", "HUL123456", "--format", "html"]).output
        #expect(html.contains("Signer identities: self-asserted (not anchored to a CA)"))
        let json = try f.ok(["media", "certificate", "HUL123456", "--format", "json"])
        let identities = (try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])?["identities"] as? [String: Any]
        #expect(identities?["anchored"] as? Bool == false)
        #expect((identities?["statement"] as? String)?.contains("self-asserted") == true)

        let report = try f.ok(["report"]).output
        #expect(report.contains("custodian identities: self-asserted (not anchored to a CA)"), "\(report)")
        let verify = try f.ok(["audit", "verify"]).output
        #expect(verify.contains("audit log intact"))
        #expect(verify.contains("custodian identities: self-asserted (not anchored to a CA)"), "\(verify)")
        let verifyJSON = try f.ok(["audit", "verify", "--json"])
        let verified = (try JSONSerialization.jsonObject(with: verifyJSON.stdout) as? [String: Any])?["identities"] as? [String: Any]
        #expect(verified?["anchored"] as? Bool == false)
    }
}

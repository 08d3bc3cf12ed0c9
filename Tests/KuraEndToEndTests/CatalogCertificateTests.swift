import Foundation
import Testing

/// Acceptance 5: the certificate of sanitization carries every NIST SP 800-88 field, both signers and the serial.
@Suite struct CatalogCertificateTests {
    static let labels = [
        "Person Performing Sanitization", "Name", "Title", "Organization", "Location", "Phone",
        "Media Information", "Make/Vendor", "Model Number", "Serial Number", "Media Property Number", "Media Type", "Source",
        "Classification", "Data Backed Up", "Backup Location",
        "Sanitization Details", "Method Type", "Method Used", "Method Details", "Tool Used (incl. version)",
        "Verification Method", "Post-Sanitization Classification", "Notes",
        "Media Destination", "Destination", "Performer's Signature", "Signature (Ed25519)", "Date", "Validation",
        "Disposal Authorization", "Requested By", "Approved By", "Audit Log Position", "Sanitization Record",
    ]

    /// A disposed tape that held a CRM backup, sanitized by carol and validated by dave.
    static func disposedTape() throws -> CatalogFixture {
        let f = try CatalogFixture()
        f.now = "2031-02-03T04:05:06Z"
        try f.addCustodians(["alice", "bob", "carol", "dave"])
        try f.ok(["media", "add", "HUL123456", "--type", "LTO-9", "--barcode", "CRM001L9", "--capacity", "18TB",
                  "--property-number", "PN-7781", "--make", "Fujifilm", "--model", "LTO Ultrium 9", "--classification",
                  "Confidential (customer PII)", "--as", "alice"])
        try f.ok(["media", "record-set", "HUL123456", "--repository-id", "repo-crm", "--snapshot", "5f3a9c", "--source", "stdin:crm.sql",
                  "--bytes", "123456789", "--retain-until", "2030-12-31", "--written-at", "2025-12-31", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "HUL123456", "--reason", "retention over", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "HUL123456", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "HUL123456", "--method", "destroy", "--technique", "shred",
                  "--tool", "HSM Powerline 2.1", "--verification", "visual inspection of particles", "--destination", "recycler",
                  "--details", "particles under 2 mm", "--notes", "witnessed", "--as", "carol"])
        try f.ok(["media", "dispose", "validate", "HUL123456", "--as", "dave"])
        return f
    }

    static let values = ["HUL123456", "CRM001L9", "PN-7781", "Fujifilm", "LTO Ultrium 9", "LTO-9, 18TB", "stdin:crm.sql",
                         "Confidential (customer PII)", "kura repository repo-crm", "Destroy", "shred", "particles under 2 mm",
                         "HSM Powerline 2.1", "visual inspection of particles", "unclassified", "witnessed", "recycler",
                         "carol", "Carol Title", "Tokyo DC carol", "+81-3-0000-5", "dave", "Dave Title", "Tokyo DC dave",
                         "+81-3-0000-4", "ACME Data Center", "alice", "bob", "retention over", "2031-02-03T04:05:06Z"]

    @Test func textAndHTMLCertificatesCarryEveryField() throws {
        let f = try Self.disposedTape()
        let text = try f.ok(["media", "certificate", "HUL123456"]).output
        let html = try f.ok(["media", "certificate", "CRM001L9", "--format", "html"]).output
        for label in Self.labels {
            #expect(text.contains("\(label)"), "text lacks \(label)")
            #expect(html.contains(label.replacingOccurrences(of: "'", with: "&#39;")), "html lacks \(label)")
        }
        for value in Self.values {
            #expect(text.contains(value), "text lacks \(value)")
            #expect(html.contains(value), "html lacks \(value)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("@page { size: A4"))

        let json = try f.ok(["media", "certificate", "HUL123456", "--format", "json"])
        let certificate = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        let performer = certificate?["performer"] as? [String: Any]
        let validator = certificate?["validator"] as? [String: Any]
        #expect((performer?["person"] as? [String: Any])?["name"] as? String == "carol")
        #expect((validator?["person"] as? [String: Any])?["name"] as? String == "dave")
        let signatures = try f.sqliteValue("SELECT signature FROM events WHERE kind IN ('media.sanitization-recorded', 'media.sanitization-validated') ORDER BY sequence")
            .split(separator: "\n").map(String.init)
        #expect(signatures.count == 2)
        #expect(performer?["signature"] as? String == signatures.first)
        #expect(validator?["signature"] as? String == signatures.last)
        for signature in signatures {
            #expect(text.contains(signature))
        }
    }

    @Test func whatWasNotRecordedIsNullInJSONAndSaidSoInText() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob", "carol", "dave"])
        try f.ok(["media", "add", "BARE1", "--type", "HDD", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "BARE1", "--reason", "broken", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "BARE1", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "BARE1", "--method", "destroy", "--technique", "shred", "--tool", "HSM 2.1",
                  "--verification", "visual", "--destination", "recycler", "--as", "carol"])
        try f.ok(["media", "dispose", "validate", "BARE1", "--as", "dave"])
        let json = try f.ok(["media", "certificate", "BARE1", "--format", "json"])
        let certificate = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let media = try #require(certificate["media"] as? [String: Any])
        for key in ["make", "model", "barcode", "property_number", "source", "backup_location"] {
            #expect(media[key] is NSNull, "media.\(key) = \(media[key] ?? "absent")")
        }
        #expect(media["data_backed_up"] as? Bool == false)
        let sanitization = try #require(certificate["sanitization"] as? [String: Any])
        for key in ["method_details", "notes"] {
            #expect(sanitization[key] is NSNull, "sanitization.\(key) = \(sanitization[key] ?? "absent")")
        }
        #expect((certificate["performer"] as? [String: Any]).flatMap { $0["person"] as? [String: Any] }?.keys.contains("phone") == true)
        let text = try f.ok(["media", "certificate", "BARE1"]).output
        #expect(text.contains("not recorded") && text.contains("no backup set recorded"))
        let japanese = try f.ok(["media", "certificate", "BARE1", "--lang", "ja"]).output
        #expect(japanese.contains("記録なし"))
    }

    @Test func noCertificateBeforeValidation() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "X1", "--type", "HDD", "--as", "alice"])
        let result = try f.kura(["media", "certificate", "X1"])
        #expect(result.status == 20)
        #expect(result.stderr.contains("certificate-needs-validation"))
    }
}

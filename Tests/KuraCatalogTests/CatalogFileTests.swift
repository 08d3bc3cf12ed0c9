import Foundation
import KuraCrypto
import Testing
@testable import KuraCatalog

/// A catalog file with cheap Argon2id parameters, so the tests derive keys in microseconds.
final class CatalogFile {
    let directory: URL
    let catalog: Catalog
    var clock = Date(timeIntervalSince1970: 1_750_000_000)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kura-catalog-unit-\(UUID().uuidString)")
        var now: () -> Date = { Date() }
        catalog = try Catalog(path: directory.appendingPathComponent("sub/catalog.db").path, clock: { now() })
        now = { [unowned self] in clock }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func enrol(_ name: String) throws {
        let created = try SealedSigningKey.create(for: name, passphrase: "pw-\(name)", kdf: PasswordKey(opsLimit: 1, memLimit: 8192))
        try catalog.enrol(CustodianAdded(name: name, title: "t", organization: "o", phone: nil, location: nil, key: created.key),
                          secretKey: created.secretKey)
    }

    @discardableResult
    func append(_ payload: any EventPayload, as actor: String) throws -> EventRecord {
        clock += 60
        return try catalog.append(CatalogChange(payload), as: actor, passphrase: { "pw-\(actor)" })
    }
}

@Suite struct CatalogFileTests {
    @Test func canonicalBytesAreLengthPrefixedFields() {
        let bytes = CanonicalEvent.bytes(sequence: 7, previousHash: "ab", occurredAt: "2025-01-01T00:00:00Z", kind: "media.lost",
                                         actor: "Ann\nB", subject: "S1", payload: "{\"serial\":\"S1\"}")
        #expect(String(decoding: bytes, as: UTF8.self) == """
            kura-catalog-event-v1
            sequence 1 7
            previous 2 ab
            time 20 2025-01-01T00:00:00Z
            kind 10 media.lost
            actor 5 Ann
            B
            subject 2 S1
            payload 15 {"serial":"S1"}

            """)
    }

    @Test func eventsChainSignAndProjectIntoTables() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        try f.append(MediumAdded(serial: "S1", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        let copy = try f.catalog.recordBackupSetCopy(
            BackupSetCopy(serial: "S1", repositoryID: "r", snapshotIDs: ["a", "b"], sources: ["/db"], bytes: 9,
                          retainUntil: f.clock + 86_400, writtenAt: f.clock), as: "bob", passphrase: { "pw-bob" })
        #expect(copy.snapshotIDs.values == ["a", "b"] && copy.recordedBy == "bob")
        let events = try f.catalog.events()
        #expect(events.map(\.sequence) == [1, 2, 3, 4])
        #expect(events[0].previousHash == EventRecord.genesisHash)
        for (previous, event) in zip(events, events.dropFirst()) { #expect(event.previousHash == previous.hash) }
        let report = try f.catalog.verify()
        #expect(report.problems == [] && report.verifiedEvents == 4 && report.tablesCompared)
        #expect(try f.catalog.medium("S1").state == .active)
    }

    @Test func aWrongPassphraseIsTellableFromARefusal() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        let change = CatalogChange(MediumAdded(serial: "S1", mediaType: "HDD", classification: "c", location: "onsite:a"))
        #expect(throws: CatalogError(.wrongPassword, "wrong passphrase for custodian alice")) {
            try f.catalog.append(change, as: "alice", passphrase: { "nope" })
        }
        var asked = false
        #expect(refusal { _ = try f.catalog.append(CatalogChange(DisposalApproved(serial: "S9")), as: "alice",
                                                   passphrase: { asked = true; return "pw-alice" }) } == nil)
        #expect(!asked, "the passphrase is not asked for a change the rules refuse")
    }

    @Test func checkpointsRoundTripAndDetectTruncation() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        let checkpoint = try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        #expect(try Checkpoint(parsing: checkpoint.text) == checkpoint)
        #expect(checkpoint.signatureIsValid)
        #expect(try f.catalog.verify(against: checkpoint).problems == [])
        var forged = checkpoint
        forged.events = 1
        #expect(!forged.signatureIsValid)
        var ahead = Checkpoint(events: 3, head: String(repeating: "1", count: 64), time: "t")
        ahead.signer = nil
        #expect(try f.catalog.verify(against: ahead).problems.first?.hasPrefix("event 3: missing") == true)
    }

    @Test func locationsParse() throws {
        #expect(try Location(parsing: "in-transit:DHL Express").kind == .inTransit)
        #expect(try Location(parsingPlace: "offsite:vault:b").name == "vault:b")
        for bad in ["vault", "onsite:", "elsewhere:x"] {
            #expect(throws: CatalogError.self) { try Location(parsing: bad) }
        }
        #expect(throws: CatalogError.self) { try Location(parsingPlace: "in-transit:c") }
        #expect(Location(kind: .offsite, name: "v").matches("offsite") && !Location(kind: .offsite, name: "v").matches("offsite:w"))
    }
}

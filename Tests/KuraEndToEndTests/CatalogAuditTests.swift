import Foundation
import Testing

/// Acceptance 4: any sqlite3 edit of the log or of a current-state row is caught; so is a deleted newest event,
/// given a checkpoint.
@Suite struct CatalogAuditTests {
    /// alice(1) bob(2) add S1(3) hold S1(4) record-set S1(5) move S1(6); built once, copied for each tamper.
    /// `nonisolated(unsafe)`: built once, then only copied from; no test changes it.
    nonisolated(unsafe) static let base: CatalogFixture = {
        let f = try! CatalogFixture()
        try! f.addCustodians(["alice", "bob"])
        try! f.ok(["media", "add", "S1", "--type", "LTO-9", "--barcode", "CRM001L9", "--as", "alice"])
        try! f.ok(["media", "hold", "S1", "--reason", "audit 2025", "--as", "alice"])
        try! f.ok(["media", "record-set", "S1", "--repository-id", "repo1", "--snapshot", "snap1", "--bytes", "42",
                   "--retain-until", "2031-01-01", "--as", "bob"])
        try! f.ok(["media", "move", "S1", "--to", "offsite:vault", "--via", "courier", "--as", "bob"])
        return f
    }()

    static let eventEdits: [(column: String, sql: String, named: String)] = [
        ("sequence", "UPDATE events SET sequence = 100 WHERE sequence = 4", "event 4: missing"),
        ("occurred_at", "UPDATE events SET occurred_at = '2001-01-01T00:00:00Z' WHERE sequence = 4", "event 4: hash mismatch"),
        ("kind", "UPDATE events SET kind = 'media.quarantined' WHERE sequence = 4", "event 4: hash mismatch"),
        ("actor", "UPDATE events SET actor = 'bob' WHERE sequence = 4", "event 4: hash mismatch"),
        ("subject", "UPDATE events SET subject = 'S2' WHERE sequence = 4", "event 4: hash mismatch"),
        ("payload", "UPDATE events SET payload = replace(payload, 'audit 2025', 'audit 2024') WHERE sequence = 4",
         "event 4: hash mismatch"),
        ("previous_hash", "UPDATE events SET previous_hash = (SELECT hash FROM events WHERE sequence = 2) WHERE sequence = 4",
         "event 4: hash mismatch"),
        ("hash", "UPDATE events SET hash = (SELECT previous_hash FROM events WHERE sequence = 1) WHERE sequence = 4",
         "event 4: hash mismatch"),
        ("signature", "UPDATE events SET signature = substr(signature, 1, 127) || CASE substr(signature, 128, 1) "
            + "WHEN '0' THEN '1' ELSE '0' END WHERE sequence = 4", "event 4: bad signature by alice"),
    ]

    @Test(arguments: eventEdits.indices)
    func editingAnyColumnOfAnEventIsNamed(_ index: Int) throws {
        let edit = Self.eventEdits[index]
        let f = try Self.base.copy()
        #expect(try f.kura(["audit", "verify"]).status == 0)
        try f.sqlite(edit.sql)
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1, "column \(edit.column)")
        #expect(result.output.contains(edit.named), "column \(edit.column): \(result.output)")
        #expect(result.stderr.contains("kura: audit verify failed: \(edit.named)"), "column \(edit.column): \(result.stderr)")
    }

    @Test func editingAMediumsStateIsNamed() throws {
        let f = try Self.base.copy()
        try f.sqlite("UPDATE media SET state = 'disposed' WHERE serial = 'S1'")
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1)
        #expect(result.output.contains("medium S1: state is 'disposed' in table media, the events say 'active'"), "\(result.output)")
    }

    @Test func editingAHoldsReasonIsNamed() throws {
        let f = try Self.base.copy()
        try f.sqlite("UPDATE holds SET reason = 'nothing' WHERE id = 4")
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1)
        #expect(result.output.contains("hold 4: reason is 'nothing' in table holds, the events say 'audit 2025'"), "\(result.output)")
    }

    @Test func forgedRowsAndDeletedRowsAreNamed() throws {
        let f = try Self.base.copy()
        try f.sqlite("INSERT INTO media (serial, media_type, classification, state, location, added_by, added_at, last_event) "
            + "VALUES ('GHOST', 'HDD', 'x', 'new', 'onsite:main', 'alice', '2025-01-01T00:00:00Z', 3)")
        try f.sqlite("DELETE FROM backup_set_copies")
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1)
        #expect(result.output.contains("medium GHOST: row in table media that no event made"))
        #expect(result.output.contains("backup set copy 5: missing from table backup_set_copies"))
    }

    @Test func promotingACustodianInTheTableDoesNotLetThemSign() throws {
        let f = try Self.base.copy()
        try f.ok(["custodian", "add", "mallory", "--title", "x", "--org", "y"], passphraseOf: "mallory")
        try f.sqlite("UPDATE custodians SET status = 'active' WHERE name = 'mallory'")
        let result = try f.kura(["media", "hold", "S1", "--reason", "x", "--as", "mallory"])
        #expect(result.status == 20)
        #expect(result.stderr.contains("signer-must-be-active"))
        let verify = try f.kura(["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.output.contains("custodian mallory: status is 'active' in table custodians, the events say 'pending'"))
    }

    @Test func deletingTheNewestEventIsCaughtWithACheckpoint() throws {
        let f = try Self.base.copy()
        try f.ok(["media", "hold", "S1", "--reason", "second hold", "--as", "bob"])
        let checkpoint = f.directory.appending("checkpoint.txt")
        let printed = try f.ok(["audit", "checkpoint", "--as", "alice", "--output", checkpoint])
        #expect(printed.output.contains("events: 7"))
        #expect(printed.output.contains("signer: alice"))
        #expect(try f.kura(["audit", "verify", "--checkpoint", checkpoint]).status == 0)

        // Remove the newest event and everything it changed in the current-state tables, as a careful tamperer would,
        // with the checkpoint the catalog stored and the head the tables were projected from.
        try f.sqlite("DELETE FROM events WHERE sequence = 7; DELETE FROM holds WHERE id = 7; "
            + "UPDATE media SET last_event = 6 WHERE serial = 'S1'; DELETE FROM checkpoints; "
            + "UPDATE projection_head SET events = 6, head = (SELECT hash FROM events WHERE sequence = 6)")
        #expect(try f.kura(["audit", "verify"]).status == 0, "without a checkpoint a truncated log looks whole")
        let result = try f.kura(["audit", "verify", "--checkpoint", checkpoint])
        #expect(result.status == 1)
        #expect(result.output.contains("event 7: missing"), "\(result.output)")
    }

    @Test func aForgedCheckpointIsRejected() throws {
        let f = try Self.base.copy()
        let checkpoint = f.directory.appending("checkpoint.txt")
        try f.ok(["audit", "checkpoint", "--as", "alice", "--output", checkpoint])
        let text = try String(contentsOfFile: checkpoint, encoding: .utf8)
        try text.replacingOccurrences(of: "events: 6", with: "events: 5").write(toFile: checkpoint, atomically: true, encoding: .utf8)
        let result = try f.kura(["audit", "verify", "--checkpoint", checkpoint])
        #expect(result.status == 1)
        #expect(result.output.contains("bad signature"))
    }

    @Test func auditLogListsEveryEventInOrder() throws {
        let f = try Self.base.copy()
        let result = try f.ok(["audit", "log", "--json"])
        let events = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        #expect(events.map { $0["sequence"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(events.map { $0["kind"] as? String } == ["custodian.added", "custodian.added", "media.added", "media.hold-placed",
                                                          "media.backup-set-recorded", "media.moved"])
    }
}

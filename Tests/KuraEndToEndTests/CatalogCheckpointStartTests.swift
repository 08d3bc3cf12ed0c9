import Foundation
import Testing

/// Issue 16 item 3: steps build on the current-state tables checked against the log's newest event; `audit verify`
/// starts from the newest signed checkpoint the catalog stores, `--full` from event 1.
@Suite struct CatalogCheckpointStartTests {
    @Test func auditVerifyStartsFromTheStoredCheckpointAndFullFromEventOne() throws {
        let f = try CatalogAuditTests.base.copy()
        #expect(try f.ok(["audit", "verify"]).output.contains("audit log intact: 6 events, head"), "no stored checkpoint: from event 1")
        let printed = try f.ok(["audit", "checkpoint", "--as", "alice"])
        #expect(printed.output.contains("events: 6") && printed.output.contains("\nstate: "), "\(printed.output)")
        try f.ok(["media", "receive", "S1", "--as", "alice"])

        let verify = try f.ok(["audit", "verify"])
        #expect(verify.output.contains("audit log intact: 7 events (from the checkpoint of "), "\(verify.output)")
        #expect(verify.output.contains("at event 6, signed by alice; --full checks the events before it)"), "\(verify.output)")
        let full = try f.ok(["audit", "verify", "--full"])
        #expect(full.output.contains("audit log intact: 7 events, head"), "\(full.output)")

        // What the default gives up: an event before the checkpoint changed in place. --full names it.
        try f.sqlite("UPDATE events SET payload = replace(payload, 'audit 2025', 'audit 2024') WHERE sequence = 4")
        #expect(try f.kura(["audit", "verify"]).status == 0)
        let named = try f.kura(["audit", "verify", "--full"])
        #expect(named.status == 1)
        #expect(named.stderr.contains("kura: audit verify failed: event 4: hash mismatch"), "\(named.stderr)")
    }

    @Test func anEditedRowAfterTheCheckpointIsNamedByTheDefaultVerify() throws {
        let f = try CatalogAuditTests.base.copy()
        try f.ok(["audit", "checkpoint", "--as", "alice"])
        try f.sqlite("UPDATE holds SET reason = 'nothing' WHERE id = 4")
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1)
        #expect(result.output.contains("hold 4: reason is 'nothing' in table holds, the events say 'audit 2025'"), "\(result.output)")
    }

    @Test func aForgedStoredCheckpointFailsVerification() throws {
        let f = try CatalogAuditTests.base.copy()
        try f.ok(["audit", "checkpoint", "--as", "alice"])
        try f.sqlite("UPDATE checkpoints SET head = (SELECT hash FROM events WHERE sequence = 5), events = 5")
        let result = try f.kura(["audit", "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("kura: audit verify failed: the stored checkpoint of "), "\(result.stderr)")
        #expect(result.stderr.contains("bad signature"), "\(result.stderr)")
        #expect(result.output.contains("audit log intact") == false)
    }

    @Test func aStepRefusesALogTruncatedBehindTheTables() throws {
        let f = try CatalogAuditTests.base.copy()
        try f.sqlite("DELETE FROM events WHERE sequence = 6")
        let result = try f.kura(["media", "hold", "S1", "--reason", "x", "--as", "bob"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("projected from event 6, but the audit log ends at event 5"), "\(result.stderr)")
        #expect(try f.sqliteValue("SELECT count(*) FROM events") == "5", "nothing was appended")
        // And a plain verify names it once a checkpoint is stored: the log no longer reaches it.
        let g = try CatalogAuditTests.base.copy()
        try g.ok(["audit", "checkpoint", "--as", "alice"])
        try g.sqlite("DELETE FROM events WHERE sequence = 6")
        let verify = try g.kura(["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("event 6: hash does not match the stored checkpoint of "), "\(verify.stderr)")
    }

    @Test func aSignedCheckpointIsRefusedOverAnEditedTable() throws {
        let f = try CatalogAuditTests.base.copy()
        try f.sqlite("UPDATE media SET state = 'disposed' WHERE serial = 'S1'")
        let result = try f.kura(["audit", "checkpoint", "--as", "alice"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the catalog does not verify (medium S1: state is 'disposed'"), "\(result.stderr)")
        #expect(try f.sqliteValue("SELECT count(*) FROM checkpoints") == "0")
    }
}

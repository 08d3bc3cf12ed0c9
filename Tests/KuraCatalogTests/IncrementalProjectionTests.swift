import Foundation
import GRDB
import Testing
@testable import KuraCatalog

/// Issue 16 item 3: a step builds on the current-state tables, checked against the log's newest event, instead of
/// replaying the log; `verify` starts from the newest stored signed checkpoint (`full`: from event 1). Every
/// tampering the whole replay caught must still be refused by a step or named by the default verify.
@Suite struct IncrementalProjectionTests {
    /// alice(1) bob(2) add S1(3) add S2(4).
    func catalog() throws -> CatalogFile {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        try f.append(MediumAdded(serial: "S1", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        try f.append(MediumAdded(serial: "S2", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        return f
    }

    /// Edits the file as `sqlite3` would: without foreign keys.
    func sql(_ f: CatalogFile, _ statements: String) throws {
        try f.catalog.database.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA foreign_keys = OFF; " + statements + "; PRAGMA foreign_keys = ON")
        }
    }

    func refusal(_ body: () throws -> Void) -> CatalogError? {
        do { try body() } catch let error as CatalogError { return error } catch { return nil }
        return nil
    }

    @Test func aStepMovesTheProjectionHeadToItsEvent() throws {
        let f = try catalog()
        let event = try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob")
        let head = try f.catalog.database.read { try ProjectionHead.stored($0) }
        #expect(head == ProjectionHead(events: 5, head: event.hash))
        #expect(try f.catalog.verify().problems == [])
    }

    @Test func aStepRefusesALogWhoseNewestEventWasDeleted() throws {
        let f = try catalog()
        try sql(f, "DELETE FROM events WHERE sequence = 4")
        let error = refusal { try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob") }
        #expect(error?.code == .verificationFailed)
        #expect(error?.message.contains("projected from event 4, but the audit log ends at event 3") == true, "\(String(describing: error))")
        #expect(try f.catalog.events().count == 3, "nothing was appended")
    }

    @Test func aStepRefusesANewestEventChangedInPlace() throws {
        let f = try catalog()
        try sql(f, "UPDATE events SET payload = replace(payload, 'LTO-9', 'LTO-8') WHERE sequence = 4")
        let error = refusal { try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob") }
        #expect(error?.code == .verificationFailed)
        #expect(error?.message.contains("event 4: hash mismatch") == true, "\(String(describing: error))")
        try sql(f, "UPDATE events SET hash = '" + String(repeating: "ab", count: 32) + "' WHERE sequence = 4")
        let rehashed = refusal { try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob") }
        #expect(rehashed?.message.contains("ends at event 4 with another hash") == true, "\(String(describing: rehashed))")
    }

    @Test func aCatalogWithoutAHeadIsReplayedOnceAndKeepsItsRules() throws {
        let f = try catalog()
        try f.append(DisposalRequested(serial: "S2", reason: "old"), as: "alice")
        // As a catalog made before migration 0007 looks: no head, no states before disposals.
        try sql(f, "DELETE FROM projection_head; DELETE FROM disposal_prior_states")
        let reopened = try Catalog(path: f.catalog.path, clock: { f.clock + 120 })
        #expect(try reopened.database.read { try ProjectionHead.stored($0) }?.events == 5)
        #expect(try reopened.verify().problems == [])
        try reopened.append(CatalogChange(DisposalCancelled(serial: "S2", disposal: 5, reason: "kept")), as: "bob",
                            passphrase: { "pw-bob" })
        #expect(try reopened.medium("S2").state == .new, "the cancellation found the state before the disposal")
    }

    /// A step takes custodians and its medium's rows from their events: an edited table row cannot unblock it.
    @Test func anEditedHoldOrCustodianRowDoesNotUnblockAStep() throws {
        let f = try catalog()
        try f.append(HoldPlaced(serial: "S1", reason: "legal"), as: "alice")
        try sql(f, "UPDATE holds SET released_by = 'bob', released_at = '2025-01-01T00:00:00Z', release_event = 5 WHERE id = 5")
        let error = refusal { try f.append(DisposalRequested(serial: "S1", reason: "old"), as: "alice") }
        #expect(error?.code == .ruleRefused(.onHold), "\(String(describing: error))")

        try f.enrol("mallory")
        try sql(f, "UPDATE custodians SET status = 'active' WHERE name = 'mallory'")
        let unsigned = refusal { try f.append(HoldPlaced(serial: "S2", reason: "x"), as: "mallory") }
        #expect(unsigned?.code == .ruleRefused(.signerMustBeActive), "\(String(describing: unsigned))")
        #expect(try f.catalog.events().count == 6, "nothing was appended")
    }

    /// Rows of other media do come from the tables (a barcode's uniqueness); a step misled by an edited one is named
    /// by the default verify, which replays the rules from the signed checkpoint's state.
    @Test func aStepMisledByAnEditedRowIsNamedByTheDefaultVerify() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        try f.append(MediumAdded(serial: "S1", mediaType: "LTO-9", barcode: "CRM001L9", classification: "c", location: "onsite:main"),
                     as: "alice")
        let checkpoint = try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        #expect(checkpoint.state != nil && checkpoint.events == 3)
        try sql(f, "UPDATE media SET barcode = 'OTHER' WHERE serial = 'S1'")
        try f.append(MediumAdded(serial: "S2", mediaType: "LTO-9", barcode: "CRM001L9", classification: "c", location: "onsite:main"),
                     as: "bob")

        let report = try f.catalog.verify()
        #expect(report.startedFrom?.events == 3)
        #expect(report.problems.first?.hasPrefix("event 4: breaks a catalog rule") == true, "\(report.problems)")
        #expect(report.problems.first?.contains("barcode CRM001L9 already identifies medium S1") == true, "\(report.problems)")
        #expect(try f.catalog.verify(full: true).problems.first?.hasPrefix("event 4: breaks a catalog rule") == true)
    }

    @Test func anEditedRowIsNamedByTheDefaultVerify() throws {
        let f = try catalog()
        try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob")
        try sql(f, "UPDATE media SET state = 'disposed' WHERE serial = 'S2'")
        let report = try f.catalog.verify()
        #expect(report.startedFrom?.events == 4)
        #expect(report.problems == ["medium S2: state is 'disposed' in table media, the events say 'new'"])
    }

    @Test func aForgedStoredCheckpointIsRefusedAndTheLogWalkedFromEventOne() throws {
        let f = try catalog()
        try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        let name = "the stored checkpoint of"

        // The state changed (a medium dropped from it) without its hash: not the state signed.
        try sql(f, "UPDATE checkpoints SET state = replace(state, '\"serial\":\"S2\"', '\"serial\":\"S9\"')")
        var report = try f.catalog.verify()
        #expect(report.startedFrom == nil)
        #expect(report.problems.count == 1 && report.problems[0].hasPrefix(name)
                && report.problems[0].hasSuffix("the state stored with it is not the state it signs"), "\(report.problems)")
        #expect(report.verifiedEvents == 4, "the whole log was walked")

        // Its hash recomputed too: then the signature no longer covers it.
        let state = try f.catalog.database.read { try String.fetchOne($0, sql: "SELECT state FROM checkpoints") }!
        try sql(f, "UPDATE checkpoints SET state_hash = '\(CatalogStateSnapshot.hash(state))'")
        report = try f.catalog.verify()
        #expect(report.problems.count == 1 && report.problems[0].hasSuffix("bad signature"), "\(report.problems)")

        // Signed by a key the log never enrolled: a forger's own.
        try sql(f, "DELETE FROM checkpoints")
        try f.enrol("mallory")
        try sql(f, "UPDATE custodians SET status = 'active' WHERE name = 'mallory'")
        let custodian = try f.catalog.database.read { try CustodianRecord.fetchOne($0, key: "mallory") }!
        let secret = try SealedSigningKey(custodian).open(for: "mallory", passphrase: "pw-mallory")
        var forged = Checkpoint(events: 5, head: try f.catalog.events().last!.hash, time: "2025-06-01T00:00:00Z")
        let snapshot = try f.catalog.database.read { try CatalogStateSnapshot(Catalog.replay($0)).encoded() }
        forged.state = CatalogStateSnapshot.hash(snapshot)
        try forged.sign(as: "alice", publicKey: custodian.publicKey, secretKey: secret)
        try f.catalog.database.write { try StoredCheckpoint(forged, state: snapshot).insert($0) }
        report = try f.catalog.verify()
        #expect(report.startedFrom == nil)
        #expect(report.problems.first?.hasSuffix("signed with a key the log did not enrol for custodian alice") == true, "\(report.problems)")
    }

    @Test func aSignedCheckpointIsRefusedOverALogThatDoesNotVerify() throws {
        let f = try catalog()
        try sql(f, "UPDATE media SET location = 'onsite:elsewhere' WHERE serial = 'S1'")
        let error = refusal { _ = try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" }) }
        #expect(error?.code == .verificationFailed)
        #expect(error?.message.contains("medium S1: location is 'onsite:elsewhere'") == true, "\(String(describing: error))")
        #expect(try f.catalog.database.read { try StoredCheckpoint.fetchCount($0) } == 0)
    }

    /// What starting from a checkpoint gives up, and `full` keeps: an event before it changed in place.
    @Test func anEventBeforeTheCheckpointChangedInPlaceIsNamedOnlyByFull() throws {
        let f = try catalog()
        try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob")
        try sql(f, "UPDATE events SET payload = replace(payload, 'LTO-9', 'LTO-8') WHERE sequence = 3")
        #expect(try f.catalog.verify().problems == [])
        #expect(try f.catalog.verify(full: true).problems.first == "event 3: hash mismatch")
        // Deleting it is caught by default: the log no longer holds every event the checkpoint counts.
        try sql(f, "DELETE FROM events WHERE sequence = 3")
        #expect(try f.catalog.verify().problems.first?.hasPrefix("1 events before the stored checkpoint") == true)
    }

    /// A checkpoint keeps a digest of the history tables' rows (inventories, verifications, drills, repository copies)
    /// instead of the rows: an edit of one made before it is still named, by table; a later one by row.
    @Test func anEditedInventoryBeforeTheCheckpointIsNamedByItsTable() throws {
        let f = try catalog()
        try f.append(InventoryTaken(location: "onsite:main", scanned: ["S1"]), as: "bob")
        try f.catalog.checkpoint(signedAs: "alice", passphrase: { "pw-alice" })
        try f.append(InventoryTaken(location: "onsite:main", scanned: ["S2"]), as: "bob")
        #expect(try f.catalog.verify().problems == [])
        try sql(f, "UPDATE inventories SET missing = '[]' WHERE id = 5")
        try sql(f, "UPDATE inventories SET missing = '[]' WHERE id = 6")
        let problems = try f.catalog.verify().problems
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.hasPrefix("inventory 6: missing is '[]' in table inventories, the events say") == true, "\(problems)")
        #expect(problems.last?.hasPrefix("table inventories: rows made up to event 5 differ from those the stored checkpoint of") == true,
                "\(problems)")
        #expect(try f.catalog.verify(full: true).problems.first?.hasPrefix("inventory 5: missing is '[]'") == true)
    }

    @Test func theStateSnapshotRoundTripsEveryTable() throws {
        let f = try catalog()
        try f.append(HoldPlaced(serial: "S1", reason: "名前つきの保留"), as: "alice")
        try f.append(DisposalRequested(serial: "S2", reason: "old"), as: "alice")
        try f.append(InventoryTaken(location: "onsite:main", scanned: ["S1", "S2", "X"]), as: "bob")
        try f.append(MediumMoved(serial: "S1", to: "offsite:vault", courier: "c"), as: "bob")
        let state = try f.catalog.database.read { try Catalog.replay($0) }
        let decoded = try CatalogStateSnapshot.decode(CatalogStateSnapshot(state).encoded()).state
        #expect(decoded.changedRows(since: state).dropLast(2).isEmpty)
        #expect(state.changedRows(since: decoded).dropLast(2).isEmpty)
        #expect(try f.catalog.database.read { try decoded.differences(fromTablesIn: $0) } == [])
    }
}

import Foundation
import Testing

/// Issue 15 item 7: corrections are signed events, never edits.
@Suite struct CatalogCorrectionTests {
    @Test func cancelledRequestReturnsTheMediumAndLeavesThePendingList() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "T1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "T1", "--repository-id", "repo1", "--snapshot", "s1", "--bytes", "5",
                  "--retain-until", "2001-01-01", "--written-at", "2000-01-01", "--full", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "T1", "--reason", "wrong tape", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "T1", "--as", "bob"])
        #expect(try pendingDisposals(f) == ["T1"])

        try f.ok(["media", "dispose", "cancel", "T1", "--reason", "requested the wrong tape", "--as", "alice"])
        #expect(try f.mediumState("T1") == "full")
        #expect(try pendingDisposals(f) == [])
        let show = try f.ok(["media", "show", "T1"]).output
        #expect(show.contains("cancelled by alice") && show.contains("requested the wrong tape"))
        #expect(try f.ok(["audit", "log"]).output.contains("disposal 5 of medium T1 cancelled: requested the wrong tape"))
        #expect(try f.kura(["audit", "verify"]).status == 0)

        // Nothing is left to cancel, approve or record; a new request starts a new disposal.
        let again = try f.kura(["media", "dispose", "cancel", "T1", "--reason", "twice", "--as", "bob"])
        #expect(again.status == 20 && again.stderr.contains("state-transition"))
        let approve = try f.kura(["media", "dispose", "approve", "T1", "--as", "bob"])
        #expect(approve.status == 20)
        try f.ok(["media", "dispose", "request", "T1", "--reason", "end of life", "--as", "bob"])
        #expect(try pendingDisposals(f) == ["T1"])
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func cancelIsRefusedOnceASanitizationIsRecorded() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "T2", "--type", "HDD", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "T2", "--reason", "old", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "T2", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "T2", "--method", "purge", "--technique", "overwrite", "--tool", "nwipe 0.34",
                  "--verification", "read-back", "--destination", "recycler", "--as", "alice"])
        let refused = try f.kura(["media", "dispose", "cancel", "T2", "--reason", "too late", "--as", "bob"])
        #expect(refused.status == 20 && refused.stderr.contains("cancel-before-sanitization"))
        #expect(try f.mediumState("T2") == "disposal-approved")
    }

    @Test func cancelRequestAndAmendAppearInTheCertificateHistory() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "T3", "--type", "LTO-8", "--barcode", "CRM00IL9", "--as", "alice"])
        try f.ok(["media", "amend", "T3", "--barcode", "CRM001L9", "--property-number", "資産-42", "--reason", "typo: I for 1",
                  "--as", "bob"])
        try f.ok(["media", "dispose", "request", "T3", "--reason", "mistake", "--as", "alice"])
        try f.ok(["media", "dispose", "cancel", "T3", "--reason", "not this one", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "T3", "--reason", "end of life", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "T3", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "T3", "--method", "destroy", "--technique", "shred", "--tool", "HSM shredder",
                  "--verification", "visual", "--destination", "recycler", "--as", "alice"])
        try f.ok(["media", "dispose", "validate", "T3", "--as", "bob"])
        let text = try f.ok(["media", "certificate", "T3"]).output
        #expect(text.contains("Medium History"))
        #expect(text.contains("barcode 'CRM00IL9' -> 'CRM001L9'") && text.contains("資産-42"))
        #expect(text.contains("disposal 5 of medium T3 cancelled: not this one"))
        #expect(text.contains("Barcode") && text.contains("CRM001L9"))
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func amendRecordsOldAndNewValuesAndKeepsBarcodesUnique() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "A1", "--type", "LTO-9", "--barcode", "CRM001L9", "--capacity", "18TB", "--as", "alice"])
        try f.ok(["media", "add", "A2", "--type", "LTO-8", "--barcode", "CRM002L8", "--as", "alice"])

        let taken = try f.kura(["media", "amend", "A2", "--barcode", "CRM001L9", "--reason", "relabelled", "--as", "bob"])
        #expect(taken.status == 20 && taken.stderr.contains("barcode-unique"))
        let serialAsBarcode = try f.kura(["media", "amend", "A2", "--barcode", "A1", "--reason", "relabelled", "--as", "bob"])
        #expect(serialAsBarcode.status == 20)
        let nothing = try f.kura(["media", "amend", "A2", "--reason", "nothing", "--as", "bob"])
        #expect(nothing.status == 64)
        let same = try f.kura(["media", "amend", "A2", "--type", "LTO-8", "--reason", "same", "--as", "bob"])
        #expect(same.status == 64 && same.stderr.contains("already"))

        let amended = try f.ok(["media", "amend", "CRM002L8", "--type", "LTO-9", "--capacity", "18TB", "--barcode", "CRM002L9",
                                "--reason", "registered as the wrong generation", "--as", "bob", "--json"])
        let event = (try JSONSerialization.jsonObject(with: amended.stdout) as? [String: Any])?["event"] as? [String: Any]
        let payload = event?["payload"] as? [String: Any]
        let changes = payload?["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 3)
        #expect(changes.contains { $0["field"] as? String == "barcode" && $0["old"] as? String == "CRM002L8" && $0["new"] as? String == "CRM002L9" })
        #expect(changes.contains { $0["field"] as? String == "capacity" && $0["old"] == nil && $0["new"] as? String == "18TB" })
        let show = try f.ok(["media", "show", "CRM002L9"]).output
        #expect(show.contains("type:           LTO-9, 18TB"))
        #expect(show.contains("media_type 'LTO-8' -> 'LTO-9'") && show.contains("registered as the wrong generation"))
        #expect(try f.kura(["audit", "verify"]).status == 0)

        // The old barcode is free again; clearing one records none as the new value.
        try f.ok(["media", "amend", "A1", "--barcode", "", "--reason", "label fell off", "--as", "alice"])
        try f.ok(["media", "amend", "A1", "--barcode", "CRM002L8", "--reason", "relabelled", "--as", "alice"])
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func tamperedAmendIsCaughtByAuditVerify() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "B1", "--type", "LTO-9", "--barcode", "CRM010L9", "--as", "alice"])
        try f.ok(["media", "amend", "B1", "--barcode", "CRM011L9", "--reason", "typo", "--as", "alice"])
        let sequence = try f.sqliteValue("SELECT sequence FROM events WHERE kind = 'media.amended'")
        #expect(sequence == "4")

        // The event's payload rewritten: its hash no longer matches.
        let payloadEdit = try f.copy()
        try payloadEdit.sqlite("UPDATE events SET payload = replace(payload, 'CRM011L9', 'CRM099L9') WHERE sequence = 4")
        let payloadResult = try payloadEdit.kura(["audit", "verify"])
        #expect(payloadResult.status == 1 && payloadResult.output.contains("event 4: hash mismatch"))

        // The projected row edited back to the old barcode: the replay says otherwise.
        let rowEdit = try f.copy()
        try rowEdit.sqlite("UPDATE media SET barcode = 'CRM010L9' WHERE serial = 'B1'")
        let rowResult = try rowEdit.kura(["audit", "verify"])
        #expect(rowResult.status == 1 && rowResult.output.contains("medium B1: barcode is 'CRM010L9' in table media, the events say 'CRM011L9'"))
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    private func pendingDisposals(_ f: CatalogFixture) throws -> [String] {
        let report = try JSONSerialization.jsonObject(with: try f.ok(["report", "--json"]).stdout) as? [String: Any]
        return (report?["pending_disposals"] as? [[String: Any]])?.compactMap { $0["serial"] as? String } ?? []
    }
}

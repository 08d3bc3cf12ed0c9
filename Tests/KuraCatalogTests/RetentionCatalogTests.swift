import Foundation
import GRDB
import KuraCrypto
import Testing
@testable import KuraCatalog

/// Snapshot holds, backups and drills in the catalog (issue 5): their rules, the unsigned machine events and
/// what `audit verify` still catches, and the compliance report.
@Suite struct RetentionCatalogTests {
    static let repository = String(repeating: "ab", count: 32)
    static func snapshot(_ n: Int) -> String { String(format: "%064x", n) }

    static func backup(_ n: Int, sources: [String] = ["crm.sql"], at time: Date, result: BackupResult = .success) -> BackupRun {
        BackupRun(repositoryID: repository, snapshotID: snapshot(n), host: "db1", sources: sources, bytes: 1000 + Int64(n),
                  snapshotTime: time, duration: 1.25, result: result)
    }

    static func drill(_ n: Int, result: DrillResult = .passed) -> DrillRun {
        DrillRun(repositoryID: repository, snapshotID: snapshot(n), host: "db1", sources: ["crm.sql"], method: .command,
                 restoreCommand: "psql -q drilldb", verifyCommand: "test $(psql -tAc 'select count(*) from customers') = 20000",
                 bytes: 5000, seconds: 2.5, result: result, detail: result == .failed ? "verify command exited with status 1" : "20000")
    }

    @Test func snapshotHoldsNeedADifferentCustodianToRelease() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        let hold = try f.catalog.placeSnapshotHold(repositoryID: Self.repository, snapshotID: Self.snapshot(7), reason: "case 17",
                                                   as: "alice", passphrase: { "pw-alice" })
        #expect(hold.isActive && hold.placedBy == "alice")
        #expect(try f.catalog.state().activeSnapshotHolds(repositoryID: Self.repository).keys.sorted() == [Self.snapshot(7)])
        #expect(try f.catalog.state().activeSnapshotHolds(repositoryID: String(repeating: "cd", count: 32)).isEmpty)

        let sameHand = #expect(throws: CatalogError.self) {
            try f.catalog.releaseSnapshotHold(snapshotPrefix: "0000", as: "alice", passphrase: { "pw-alice" })
        }
        #expect(sameHand?.code == .ruleRefused(.twoPersonHoldRelease))
        let released = try f.catalog.releaseSnapshotHold(snapshotPrefix: "0000", as: "bob", passphrase: { "pw-bob" })
        #expect(!released.isActive && released.releasedBy == "bob")
        #expect(try f.catalog.state().activeSnapshotHolds(repositoryID: Self.repository).isEmpty)
        let again = #expect(throws: CatalogError.self) {
            try f.catalog.releaseSnapshotHold(snapshotPrefix: "0000", as: "bob", passphrase: { "pw-bob" })
        }
        #expect(again?.code == .ruleRefused(.noActiveHold))
        let badID = #expect(throws: CatalogError.self) {
            try f.catalog.placeSnapshotHold(repositoryID: Self.repository, snapshotID: "abc", reason: "r", as: "alice", passphrase: { "pw-alice" })
        }
        #expect(badID?.code == .invalid)
        #expect(try f.catalog.snapshotHolds(activeOnly: false).count == 1)
        #expect(try f.catalog.verify().problems == [])
    }

    @Test func machineEventsAreUnsignedButChainedAndProjected() throws {
        let f = try CatalogFile()
        let backup = try f.catalog.recordBackup(Self.backup(1, at: f.clock), reporter: "db1")
        #expect(backup.recordedBy == "host:db1" && backup.durationMilliseconds == 1250 && backup.sources.values == ["crm.sql"])
        try f.enrol("alice")
        let unsigned = try f.catalog.recordDrill(Self.drill(1), reporter: "db1")
        let signed = try f.catalog.recordDrill(Self.drill(1), as: "alice", passphrase: { "pw-alice" })
        #expect(unsigned.performedBy == "host:db1" && signed.performedBy == "alice")
        let events = try f.catalog.events()
        #expect(events.map(\.kind) == ["backup.recorded", "custodian.added", "drill.recorded", "drill.recorded"])
        #expect(events[0].signature.isEmpty && events[2].signature.isEmpty && !events[3].signature.isEmpty)
        #expect(try f.catalog.verify().problems == [])
        #expect(try f.catalog.drills().map(\.id) == [3, 4])

        // A hold is not a machine kind: a machine cannot place one.
        let refused = #expect(throws: CatalogError.self) {
            try f.catalog.appendMachineEvent(CatalogChange(SnapshotHoldPlaced(repositoryID: Self.repository,
                                                                              snapshotID: Self.snapshot(1), reason: "r")), host: "db1")
        }
        #expect(refused?.code == .invalid)
    }

    /// Runs `sql` on a copy of the catalog and returns what `verify` says about it.
    static func tampered(_ f: CatalogFile, _ sql: String) throws -> [String] {
        let copy = f.directory.appendingPathComponent("tampered-\(UUID().uuidString.prefix(6)).db").path
        try FileManager.default.copyItem(atPath: f.catalog.path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        try queue.write { try $0.execute(sql: sql) }
        return try Catalog(path: copy).verify().problems
    }

    @Test func auditVerifyCatchesEditsOfMachineEventsAndTheirRows() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.catalog.recordBackup(Self.backup(1, at: f.clock), reporter: "db1")
        try f.catalog.recordDrill(Self.drill(1), reporter: "db1")
        try f.catalog.recordBackup(Self.backup(2, at: f.clock + 60), reporter: "db1")
        #expect(try f.catalog.verify().problems == [])

        #expect(try Self.tampered(f, "UPDATE events SET payload = replace(payload, '1001', '9001') WHERE sequence = 2")
            == ["event 2: hash mismatch"])
        #expect(try Self.tampered(f, "UPDATE events SET actor = 'host:other' WHERE sequence = 3") == ["event 3: hash mismatch"])
        // An unsigned event with a recomputed hash still breaks the link of the next one.
        let payload = try #require(try f.catalog.event(2)?.payload).replacingOccurrences(of: "1001", with: "9001")
        let event = try #require(try f.catalog.event(2))
        let rehash = CanonicalEvent.hash(CanonicalEvent.bytes(sequence: 2, previousHash: event.previousHash, occurredAt: event.occurredAt,
                                                              kind: event.kind, actor: event.actor, subject: event.subject, payload: payload))
        #expect(try Self.tampered(f, "UPDATE events SET payload = '\(payload)', hash = '\(rehash)' WHERE sequence = 2; "
            + "UPDATE backups SET bytes = 9001 WHERE id = 2") == ["event 3: previous hash does not match event 2"])
        // A signature on a machine event's host actor is not a custodian's.
        #expect(try Self.tampered(f, "UPDATE events SET signature = 'abcd' WHERE sequence = 3")
            == ["event 3: signed by unknown custodian 'host:db1'"])
        // The projections.
        #expect(try Self.tampered(f, "UPDATE backups SET bytes = 1 WHERE id = 2")
            == ["backup 2: bytes is 1 in table backups, the events say 1001"])
        #expect(try Self.tampered(f, "UPDATE drills SET result = 'passed', detail = NULL WHERE id = 3").count == 1)
        #expect(try Self.tampered(f, "UPDATE drills SET result = 'failed' WHERE id = 3")
            == ["drill 3: result is 'failed' in table drills, the events say 'passed'"])
        #expect(try Self.tampered(f, "DELETE FROM backups WHERE id = 4") == ["backup 4: missing from table backups"])
    }

    @Test func anUnsignedEventOfACustodianKindFailsVerification() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        let head = try #require(try f.catalog.events().last)
        let payload = #"{"reason":"r","repositoryID":"\#(Self.repository)","snapshotID":"\#(Self.snapshot(1))"}"#
        let time = head.occurredAt
        let hash = CanonicalEvent.hash(CanonicalEvent.bytes(sequence: 2, previousHash: head.hash, occurredAt: time,
                                                            kind: "snapshot.hold-placed", actor: "host:db1", subject: Self.snapshot(1),
                                                            payload: payload))
        let problems = try Self.tampered(f, """
            INSERT INTO events VALUES (2, '\(time)', 'snapshot.hold-placed', 'host:db1', '\(Self.snapshot(1))', '\(payload)', \
            '\(head.hash)', '\(hash)', '')
            """)
        #expect(problems == ["event 2: signed by unknown custodian 'host:db1'"])
    }

    @Test func theReportNamesStaleSourcesAndSummarizesMedia() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        let start = f.clock
        try f.catalog.recordBackup(Self.backup(1, sources: ["crm.sql", "globals.sql"], at: start), reporter: "db1")
        try f.catalog.recordBackup(Self.backup(2, sources: ["crm.sql"], at: start + 3600), reporter: "db1")
        try f.catalog.recordBackup(Self.backup(3, sources: ["crm.sql"], at: start + 7200, result: .partial), reporter: "db1")
        try f.catalog.recordDrill(Self.drill(2), reporter: "db1")
        f.clock += 60
        try f.catalog.recordDrill(Self.drill(2, result: .failed), as: "alice", passphrase: { "pw-alice" })
        try f.append(MediumAdded(serial: "T1", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        try f.append(MediumAdded(serial: "T2", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        try f.append(MediumAdded(serial: "T3", mediaType: "HDD", classification: "c", location: "onsite:main"), as: "alice")
        try f.append(MediumMoved(serial: "T1", to: "offsite:vault", courier: "Nittsu"), as: "alice")
        try f.append(DisposalRequested(serial: "T3", reason: "end of life"), as: "bob")
        try f.append(InventoryTaken(location: "onsite:main", scanned: ["T2", "X9"]), as: "bob")
        f.clock = start + 2 * 86_400

        let now = f.catalog.now
        let report = try f.catalog.complianceReport(backupLimit: .init(deadline: now - 86_400, text: "1d"),
                                                    drillLimit: .init(deadline: now - 7 * 86_400, text: "7d"))
        #expect(report.sources.map(\.name) == ["crm.sql", "globals.sql"])
        let crm = report.sources[0]
        #expect(crm.lastSuccessfulBackup?.snapshotID == Self.snapshot(2))
        #expect(crm.lastBackupIfNotSuccessful?.result == .partial)
        #expect(crm.backupAgeSeconds == Int64(now.timeIntervalSince(start + 3600)))
        #expect(crm.lastPassedDrill?.id != nil && crm.lastDrillIfFailed?.performedBy == "alice")
        #expect(report.sources[1].lastPassedDrill == nil)
        #expect(report.mediaByState == ["new": 2, "disposal-requested": 1])
        #expect(report.mediaByLocation == ["onsite:main": 2, "in-transit:Nittsu": 1])
        #expect(report.pendingDisposals.map(\.serial) == ["T3"])
        #expect(report.longInTransit.map(\.serial) == ["T1"] && report.longInTransit[0].hours >= 24)
        #expect(report.lastInventories.map(\.missing.values) == [["T3"]])
        #expect(report.lastInventories.map(\.unexpected.values) == [["X9"]])
        #expect(report.audit.intact && report.audit.events == 13)
        #expect(report.stale == [
            "source crm.sql (host db1, repository abababab): last successful backup \(CatalogTime.format(start + 3600)) "
                + "(\(crm.backupAgeSeconds!) s ago) is older than 1d",
            "source globals.sql (host db1, repository abababab): last successful backup \(CatalogTime.format(start)) "
                + "(\(report.sources[1].backupAgeSeconds!) s ago) is older than 1d",
            "source globals.sql (host db1, repository abababab): no passed drill recorded",
            // In transit longer than the default limit of a day: stale too (issue 15).
            "medium T1 has been in transit to offsite:vault with Nittsu since \(report.longInTransit[0].sentAt) "
                + "(\(report.longInTransit[0].hours) h), longer than 1d",
        ])
        let fresh = try f.catalog.complianceReport(backupLimit: .init(deadline: now - 3 * 86_400, text: "3d"),
                                                   transitLimit: .init(deadline: now - 3 * 86_400, text: "3d"))
        #expect(fresh.stale.isEmpty && fresh.longInTransit.isEmpty && fresh.maxTransitAge == "3d")
        let blank = try CatalogFile()
        let empty = try blank.catalog.complianceReport(backupLimit: .init(deadline: now, text: "1s"))
        #expect(empty.stale == ["no successful backup is recorded in the catalog"])
    }
}

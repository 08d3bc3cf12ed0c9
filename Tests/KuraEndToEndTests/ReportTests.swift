import Foundation
import Testing

/// Acceptance 4 of issue 5, and the rest of what `kura report` summarizes.
@Suite struct ReportTests {
    @Test func reportAfterAPauseExitsOneNamingTheStaleSource() throws {
        let s = try RetentionSetup(custodians: [])
        try s.ok(["backup", "--from-command", "crm.sql=echo 'COPY customers FROM stdin;'", "--quiet"])
        let fresh = try s.kura(["report", "--max-backup-age", "1h"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.output.contains("crm.sql") && fresh.output.contains("last successful backup:"))

        Thread.sleep(forTimeInterval: 2.2)
        let stale = try s.kura(["report", "--max-backup-age", "1s"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("stale: source crm.sql (host ") && stale.stderr.contains("is older than 1s"))

        // Only the stale one is named: globals.sql was just backed up, crm.sql four seconds ago.
        Thread.sleep(forTimeInterval: 2)
        try s.ok(["backup", "--stdin", "--stdin-name", "globals.sql", "--quiet"], stdin: Data("CREATE ROLE crm;\n".utf8))
        let one = try s.kura(["report", "--max-backup-age", "3s", "--json"])
        #expect(one.status == 1)
        #expect(one.stderr.contains("crm.sql") && !one.stderr.contains("globals.sql"))
        let report = try JSONSerialization.jsonObject(with: one.stdout) as? [String: Any] ?? [:]
        #expect((report["stale"] as? [String])?.count == 1)
        #expect((report["sources"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["crm.sql", "globals.sql"])

        let drills = try s.kura(["report", "--max-drill-age", "90d"])
        #expect(drills.status == 1 && drills.stderr.contains("no passed drill recorded"))
        let bad = try s.kura(["report", "--max-backup-age", "5x"])
        #expect(bad.status == 64)
    }

    @Test func reportWithoutBackupsFailsAThreshold() throws {
        let catalog = try CatalogFixture()
        try catalog.addCustodians(["alice", "bob"])
        let result = try catalog.kura(["report", "--max-backup-age", "1d"])
        #expect(result.status == 1 && result.stderr.contains("no successful backup is recorded"))
        #expect(try catalog.kura(["report"]).status == 0)
    }

    @Test func reportSummarizesMediaDisposalsTransitInventoriesAndTheAuditLog() throws {
        let f = try CatalogFixture()
        f.now = "2025-04-01T09:00:00Z"
        try f.addCustodians(["alice", "bob"])
        for serial in ["T1", "T2", "T3"] { try f.ok(["media", "add", serial, "--type", "LTO-9", "--location", "onsite:main", "--as", "alice"]) }
        try f.ok(["media", "move", "T1", "--to", "offsite:vault", "--via", "Nittsu", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "T3", "--reason", "worn", "--as", "bob"])
        let scanned = f.directory.appending("scan.txt")
        try "T2\nX9\n".write(toFile: scanned, atomically: true, encoding: .utf8)
        #expect(try f.kura(["media", "inventory", "--location", "onsite:main", "--scanned", scanned, "--as", "bob"]).status == 1)

        f.now = "2025-04-03T09:00:00Z"
        // T1 has been in transit for two days, longer than the default --max-transit-age of 1d: exit 1, naming it.
        let result = try f.kura(["report", "--json"])
        #expect(result.status == 1 && result.stderr.contains("stale: medium T1 has been in transit to offsite:vault with Nittsu")
            && result.stderr.contains("longer than 1d"), "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
        #expect(report["media_by_state"] as? [String: Int] == ["new": 2, "disposal-requested": 1])
        #expect(report["media_by_location"] as? [String: Int] == ["onsite:main": 2, "in-transit:Nittsu": 1])
        #expect((report["pending_disposals"] as? [[String: Any]])?.map { $0["serial"] as? String } == ["T3"])
        let transit = report["long_in_transit"] as? [[String: Any]] ?? []
        #expect(transit.map { $0["serial"] as? String } == ["T1"] && transit.first?["seconds_in_transit"] as? Int == 48 * 3600)
        let inventory = (report["last_inventories"] as? [[String: Any]])?.first
        #expect(inventory?["missing"] as? [String] == ["T3"] && inventory?["unexpected"] as? [String] == ["X9"])
        #expect((report["audit"] as? [String: Any])?["intact"] as? Bool == true)
        let text = try f.kura(["report"]).output
        let patient = try f.kura(["report", "--max-transit-age", "3d"])
        #expect(patient.status == 0 && patient.output.contains("media in transit for longer than 3d: none"), "\(patient.stderr)")
        #expect(text.contains("medium T1: onsite:main -> offsite:vault with Nittsu") && text.contains("missing T3; unexpected X9"))

        // A tampered table makes the report fail, saying why.
        try f.sqlite("UPDATE media SET location = 'onsite:main' WHERE serial = 'T1'")
        let tampered = try f.kura(["report"])
        #expect(tampered.status == 1 && tampered.stderr.contains("audit log does not verify: medium T1: location"))
    }
}

import Foundation
import Testing

/// Acceptance 7 and the rest of the state machine: nothing is deleted, disposed is terminal, lost/found, reuse.
@Suite struct CatalogLifecycleTests {
    @Test func disposedIsTerminalAndNothingIsDeleted() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "D1", "--type", "SSD", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "D1", "--reason", "worn", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "D1", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "D1", "--method", "destroy", "--technique", "shred", "--tool", "shredder 1",
                  "--verification", "visual", "--destination", "recycler", "--as", "alice"])
        try f.ok(["media", "dispose", "validate", "D1", "--as", "bob"])
        let eventsBefore = try f.sqliteValue("SELECT count(*) FROM events")

        let attempts: [[String]] = [
            ["media", "move", "D1", "--to", "offsite:vault", "--via", "c", "--as", "alice"],
            ["media", "hold", "D1", "--reason", "x", "--as", "alice"],
            ["media", "quarantine", "D1", "--reason", "x", "--as", "alice"],
            ["media", "lost", "D1", "--as", "alice"],
            ["media", "dispose", "request", "D1", "--reason", "again", "--as", "alice"],
            ["media", "dispose", "approve", "D1", "--as", "bob"],
            ["media", "reuse", "D1", "--as", "alice"],
            ["media", "record-set", "D1", "--repository-id", "r", "--snapshot", "s", "--bytes", "1", "--retain-until", "2000-01-01",
             "--written-at", "1999-01-01", "--as", "alice"],
            ["media", "add", "D1", "--type", "SSD", "--as", "alice"],
        ]
        for arguments in attempts {
            let result = try f.kura(arguments)
            #expect(result.status == 20, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        #expect(try f.mediumState("D1") == "disposed")
        #expect(try f.sqliteValue("SELECT count(*) FROM events") == eventsBefore)
        #expect(try f.ok(["media", "list", "--state", "disposed"]).output.contains("D1"))

        for command in [["media"], ["media", "dispose"], ["custodian"], ["audit"]] {
            let names = try Self.subcommandNames(of: command, in: f)
            #expect(!names.isEmpty)
            for name in names {
                #expect(!["delete", "remove", "rm", "erase", "drop", "truncate", "prune"].contains(name), "kura \(command) \(name)")
            }
        }
    }

    /// The names listed under "SUBCOMMANDS:" in `kura COMMAND --help`.
    static func subcommandNames(of command: [String], in f: CatalogFixture) throws -> [String] {
        let help = try f.kura(command + ["--help"]).output
        guard let section = help.range(of: "SUBCOMMANDS:", options: .caseInsensitive) else { return [] }
        return help[section.upperBound...].split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func sanitizedMediumCanBeReusedAsNew() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "R1", "--type", "HDD", "--as", "alice"])
        try f.ok(["media", "record-set", "R1", "--repository-id", "r", "--snapshot", "s", "--bytes", "1", "--retain-until", "2000-01-01",
                  "--written-at", "1999-01-01",
                  "--as", "alice"])
        try f.ok(["media", "dispose", "request", "R1", "--reason", "reuse", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "R1", "--as", "bob"])
        try f.ok(["media", "dispose", "record", "R1", "--method", "purge", "--technique", "crypto-erase", "--tool", "hdparm 9.65",
                  "--verification", "full read-back", "--destination", "internal-reuse", "--as", "alice"])
        try f.ok(["media", "dispose", "validate", "R1", "--as", "bob"])
        #expect(try f.mediumState("R1") == "sanitized")
        try f.ok(["media", "reuse", "R1", "--as", "alice"])
        #expect(try f.mediumState("R1") == "new")
        let show = try f.ok(["media", "show", "R1"]).output
        #expect(show.contains("erased by event"))
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func lostMediumPrintsItsExposureAndFoundReturnsItsPriorState() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "L1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "L1", "--repository-id", "repo-crm", "--snapshot", "abc123", "--source", "stdin:crm.sql",
                  "--bytes", "987654", "--retain-until", "2035-01-01", "--key-slot", "slot9", "--as", "alice"])
        try f.ok(["media", "move", "L1", "--to", "offsite:vault", "--via", "TruckCo", "--as", "alice"])
        let lost = try f.ok(["media", "lost", "L1", "--note", "not delivered", "--as", "bob"]).output
        for expected in ["EXPOSURE REPORT", "abc123", "repo-crm", "stdin:crm.sql", "987654", "2035-01-01", "encrypted", "slot9",
                         "in-transit:TruckCo"] {
            #expect(lost.contains(expected), "exposure report lacks \(expected)")
        }
        #expect(try f.mediumState("L1") == "lost")
        #expect(try f.kura(["media", "dispose", "request", "L1", "--reason", "x", "--as", "alice"]).status == 20)
        try f.ok(["media", "found", "L1", "--location", "offsite:vault", "--as", "alice"])
        #expect(try f.mediumState("L1") == "active")
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func showListsTheWholeHistoryAndTheSetsOnTheMedium() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "H1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "H1", "--repository-id", "repo1", "--snapshot", "s1", "--snapshot", "s2", "--bytes", "10",
                  "--retain-until", "2040-01-01", "--as", "alice"])
        try f.ok(["media", "quarantine", "H1", "--reason", "read errors", "--as", "bob"])
        let report = try JSONSerialization.jsonObject(with: try f.ok(["media", "show", "H1", "--json"]).stdout) as? [String: Any]
        let history = report?["history"] as? [[String: Any]] ?? []
        #expect(history.map { $0["kind"] as? String } == ["media.added", "media.backup-set-recorded", "media.quarantined"])
        let sets = report?["backup_sets"] as? [[String: Any]] ?? []
        #expect(sets.first?["snapshot_ids"] as? [String] == ["s1", "s2"])
        #expect(try f.ok(["media", "list", "--state", "quarantined", "--location", "onsite"]).output.contains("H1"))
    }
}

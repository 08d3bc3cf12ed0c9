import Foundation
import Testing

/// Issue 12 items 4 ("the clock is the clock") and 9 ("dates and durations are exact"), through the built binary.
@Suite struct ClockAndDateTests {
    // MARK: Item 4

    /// The debug binary the tests run honours KURA_NOW (release builds do not have the hook at all), and no help
    /// text offers the hook to users.
    @Test func theDebugBuildHonoursTheClockHookAndNoHelpMentionsIt() throws {
        let f = try CatalogFixture()
        f.now = "2030-06-01T00:00:00Z"
        try f.addCustodians(["alice", "bob"])
        let log = try JSONSerialization.jsonObject(with: try f.ok(["audit", "log", "--json"]).stdout) as? [[String: Any]] ?? []
        #expect(log.count == 2 && log.allSatisfy { $0["occurred_at"] as? String == "2030-06-01T00:00:00.000Z" })
        for help in [["--help"], ["media", "--help"], ["report", "--help"], ["audit", "verify", "--help"], ["prune", "--help"]] {
            let result = try f.kura(help)
            #expect(result.status == 0 && !result.output.contains("KURA_NOW") && !result.output.contains("KURA_TEST"), "\(help)")
        }
        #expect(try f.kura(["audit", "verify", "--help"]).output.contains("5 minutes"))
    }

    /// The reproduction: a clock set months ahead let a custodian request the disposal of a medium whose set was
    /// retained (a release build no longer has that hook); the events after it, on the real clock, went backwards
    /// and `audit verify` said "intact". Now the catalog refuses an event dated before its newest one by more than
    /// the skew, naming both times, and accepts one within it.
    @Test func theCatalogRefusesAnEventDatedBeforeItsNewestOne() throws {
        let f = try CatalogFixture()
        f.now = "2030-06-01T00:00:00Z"
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "RET1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "RET1", "--repository-id", "repo1", "--snapshot", "snap1234", "--bytes", "1000",
                  "--retain-until", "2030-12-01", "--as", "alice"])
        f.now = "2031-01-01T00:00:00Z"
        try f.ok(["media", "dispose", "request", "RET1", "--reason", "clock ahead", "--as", "alice"])

        f.now = "2030-06-02T00:00:00Z"
        let back = try f.kura(["media", "add", "T2", "--type", "LTO-9", "--as", "bob"])
        #expect(back.status == 20)
        #expect(back.stderr.contains("clock-not-backwards") && back.stderr.contains("2030-06-02T00:00:00Z")
            && back.stderr.contains("2031-01-01T00:00:00Z"), "\(back.stderr)")
        #expect(try f.kura(["media", "show", "T2"]).status != 0)

        f.now = "2030-12-31T23:56:00Z"  // 4 minutes before the newest event: within the skew
        try f.ok(["media", "add", "T2", "--type", "LTO-9", "--as", "bob"])
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    // MARK: Item 9

    /// `--retain-until 2030-02-30` became 2030-03-02 and `T25:00:00Z` midnight; both exit 64 naming the value, as do a
    /// date in the past and `--retain-days 99999999999`. Nothing is written or recorded.
    @Test func impossibleAndPastRetentionDatesExit64NamingTheValue() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "TAPE-1", "--type", "LTO-9", "--location", "onsite:main", "--as", "alice"])
        let device = f.directory.appending("blank.tar")
        let write = ["media", "write", "TAPE-1", "latest", "--device", device, "--as", "alice"]
        for (extra, named) in [(["--retain-until", "2030-02-30"], "2030-02-30"),
                               (["--retain-until", "2030-01-01T25:00:00Z"], "2030-01-01T25:00:00Z"),
                               (["--retain-until", "2001-01-01"], "2001-01-01"),
                               (["--retain-days", "99999999999"], "99999999999"),
                               (["--retain-days", "36501"], "36501"),
                               (["--retain-days=-1"], "-1")] {
            let result = try f.kura(write + extra)
            #expect(result.status == 64, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains(named), "\(extra): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: device))

        let record = ["media", "record-set", "TAPE-1", "--repository-id", "repo1", "--snapshot", "snap1", "--bytes", "5", "--as", "alice"]
        for (extra, named) in [(["--retain-until", "2030-02-30"], "2030-02-30"),
                               (["--retain-until", "2030-01-01T25:00:00Z"], "T25:00:00Z"),
                               (["--retain-until", "2001-01-01"], "in the past"),
                               (["--retain-until", "2040-01-01", "--written-at", "2039-01-01"], "in the future"),
                               (["--retain-until", "2040-01-01", "--written-at", "2030-02-29"], "2030-02-29")] {
            let result = try f.kura(record + extra)
            #expect(result.status == 64, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains(named), "\(extra): \(result.stderr)")
        }
        let media = try JSONSerialization.jsonObject(with: try f.ok(["media", "show", "TAPE-1", "--json"]).stdout) as? [String: Any]
        #expect((media?["medium"] as? [String: Any])?["state"] as? String == "new")
        #expect((media?["backup_sets"] as? [Any])?.isEmpty == true)
        try f.ok(["media", "record-set", "TAPE-1", "--repository-id", "repo1", "--snapshot", "snap1", "--bytes", "5",
                  "--retain-until", "2099-12-31T23:59:59Z", "--as", "alice"])
    }

    /// `forget --keep-within 10000y` overflowed and forgot an 8-second-old snapshot; now it keeps everything.
    @Test func keepWithinTenThousandYearsKeepsEverything() throws {
        let fixture = try RepositoryFixture(name: "kura-within")
        for n in 0..<3 {
            #expect(try fixture.kura(["backup", "--stdin", "-q"], stdin: Data("dump \(n)".utf8)).status == 0)
        }
        let ids = try fixture.snapshotIDs()
        for span in ["10000y", "999999999y", "999999999d", "999999999h999999999min999999999s"] {
            let result = try fixture.kura(["forget", "--keep-within", span, "--catalog", fixture.path("none.db")])
            #expect(result.status == 0, "\(span): \(result.stderr)")
            #expect(try fixture.snapshotIDs() == ids, "\(span)")
        }
        #expect(try fixture.kura(["forget", "--keep-within", "99999999999y"]).status == 64)
    }

    /// `report --max-backup-age 100000000y` said a fresh backup was stale.
    @Test func aHugeMaximumAgeDoesNotMakeAFreshBackupStale() throws {
        let s = try RetentionSetup()
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("dump\n".utf8))
        for age in ["100000000y", "999999999m", "1d"] {
            let result = try s.kura(["report", "--max-backup-age", age])
            #expect(result.status == 0, "\(age): \(result.stderr)")
            #expect(!result.stderr.contains("stale"), "\(age)")
        }
    }
}

import Foundation
import Testing

/// Acceptance 3 of issue 5: restore drills through the built binary, recorded in the catalog.
@Suite(.serialized) struct DrillTests {
    static func drills(_ s: RetentionSetup) throws -> [[String: Any]] {
        try s.json(["drill", "list", "--json"]) as? [[String: Any]] ?? []
    }

    static func source(_ s: RetentionSetup, _ name: String) throws -> [String: Any]? {
        let report = try JSONSerialization.jsonObject(with: try s.kura(["report", "--json"]).stdout) as? [String: Any]
        return (report?["sources"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    @Test func pgDumpDrillLoadsIntoAFreshDatabaseAndAFailedVerifyIsRecorded() throws {
        let pg = try PostgresServer()
        try pg.run("createdb \(pg.connection) crm")
        _ = try pg.psql("crm", DatabaseStreamTests.schema)
        let s = try RetentionSetup()
        try s.ok(["backup", "--from-command", "crm.sql=" + pg.asUser("pg_dump \(pg.connection) crm"), "--quiet"])
        let dumped = try s.ok(["dump", "latest", "crm.sql"]).stdout
        #expect(dumped.count > 1_000_000)

        // The verify command counts customers in the restored database and in the source, and fails unless they match.
        let verify = pg.directory.appending("verify.sh")
        try """
        #!/bin/sh
        source=$(psql \(pg.connection) -X -tA -d crm -c 'SELECT count(*) FROM customers') || exit 2
        restored=$(psql \(pg.connection) -X -tA -d "$1" -c 'SELECT count(*) FROM customers') || exit 3
        echo "customers: source $source, restored $restored"
        test "$source" = "$restored" && test "$restored" -gt 0
        """.write(toFile: verify, atomically: true, encoding: .utf8)
        try pg.run("chmod 755 '\(verify)'", asServerUser: false)
        try pg.run("createdb \(pg.connection) drilldb")
        let load = pg.asUser("psql \(pg.connection) -X -q -v ON_ERROR_STOP=1 -d drilldb")

        let passed = try s.ok(["drill", "latest", "--restore-command", load, "--verify-command", pg.asUser("sh '\(verify)' drilldb"),
                               "--json"], as: "alice")
        let output = try JSONSerialization.jsonObject(with: passed.stdout) as? [String: Any] ?? [:]
        let drill = output["drill"] as? [String: Any] ?? [:]
        #expect(drill["result"] as? String == "passed")
        #expect(drill["bytes"] as? Int == dumped.count)
        #expect(drill["method"] as? String == "command" && drill["performed_by"] as? String == "alice")
        #expect(drill["sources"] as? [String] == ["crm.sql"])
        #expect((output["verify_output"] as? String)?.contains("customers: source 20000, restored 20000") == true)
        #expect(drill["detail"] as? String == "customers: source 20000, restored 20000")
        #expect(try pg.psql("drilldb", "SELECT count(*) FROM orders;").trimmingCharacters(in: .whitespacesAndNewlines) == "50000")
        let passedID = try #require(drill["id"] as? Int)

        // Pointed at a database nothing was loaded into, the verify command fails: recorded as failed, exit 1.
        try pg.run("createdb \(pg.connection) drilldb2")
        try pg.run("createdb \(pg.connection) emptydb")
        let failed = try s.kura(["drill", "latest", "--restore-command", load.replacingOccurrences(of: "-d drilldb", with: "-d drilldb2"),
                                 "--verify-command", pg.asUser("sh '\(verify)' emptydb")])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("failed: verify command exited with status 3"))

        let list = try Self.drills(s)
        #expect(list.map { $0["result"] as? String } == ["passed", "failed"])
        #expect((list[1]["performed_by"] as? String)?.hasPrefix("host:") == true)
        #expect((list[1]["detail"] as? String)?.hasPrefix("verify command exited with status 3") == true)
        let text = try s.ok(["drill", "list"]).output
        #expect(text.contains("passed") && text.contains("failed") && text.contains("crm.sql"))

        let crm = try #require(try Self.source(s, "crm.sql"))
        #expect((crm["last_passed_drill"] as? [String: Any])?["id"] as? Int == passedID)
        #expect((crm["last_drill_failed"] as? [String: Any])?["result"] as? String == "failed")
        #expect((crm["last_successful_backup"] as? [String: Any])?["bytes"] as? Int == dumped.count)
        let report = try s.ok(["report"]).output
        #expect(report.contains("last passed drill:") && report.contains("drill \(passedID) of snapshot") && report.contains("FAILED"))
        #expect(try s.kura(["audit", "verify"]).status == 0)
    }

    @Test func directoryDrillChecksEveryByteAndLeavesNothingBehind() throws {
        let s = try RetentionSetup(custodians: [])
        let source = s.fixture.path("src")
        try FileManager.default.createDirectory(atPath: source + "/nested/deeper", withIntermediateDirectories: true)
        try Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }).write(to: URL(fileURLWithPath: source + "/big.bin"))
        try Data("名簿\n".utf8).write(to: URL(fileURLWithPath: source + "/nested/deeper/顧客.txt"))
        try Data().write(to: URL(fileURLWithPath: source + "/nested/empty"))
        try FileManager.default.createSymbolicLink(atPath: source + "/link", withDestinationPath: "nested/empty")
        try s.ok(["backup", source, "--quiet"])

        let target = s.fixture.path("drill-target")
        let check = "test \"$PWD\" = \"$KURA_DRILL_DIR\" && cmp -s \"$KURA_DRILL_DIR\(source)/big.bin\" '\(source)/big.bin' && echo same"
        let passed = try s.ok(["drill", "--target", target, "--verify-command", check, "--json"])
        let output = try JSONSerialization.jsonObject(with: passed.stdout) as? [String: Any] ?? [:]
        let drill = output["drill"] as? [String: Any] ?? [:]
        #expect(drill["result"] as? String == "passed" && drill["method"] as? String == "directory")
        #expect(drill["bytes"] as? Int == 3_000_000 + "名簿\n".utf8.count)
        #expect(output["files"] as? Int == 3 && output["symlinks"] as? Int == 1)
        #expect((drill["performed_by"] as? String)?.hasPrefix("host:") == true && drill["detail"] as? String == "same")
        #expect(!FileManager.default.fileExists(atPath: target))

        let kept = try s.ok(["drill", "--target", target, "--keep"])
        #expect(kept.output.contains("restored files kept in \(target)"))
        #expect(FileManager.default.contents(atPath: target + source + "/nested/deeper/顧客.txt") == Data("名簿\n".utf8))
        let notEmpty = try s.kura(["drill", "--target", target])
        #expect(notEmpty.status == 64 && notEmpty.stderr.contains("not empty"))
        let media = try s.kura(["drill", "--from-media", s.fixture.path("no-such-medium.tar")])
        #expect(media.status == 1 && media.stderr.contains("no-such-medium.tar"))

        // A damaged pack fails the drill; the failure is recorded and the scratch directory is gone.
        let packs = try Kura.shell("ls -S \(s.fixture.repo)/data/*/*").output.split(separator: "\n")
        let pack = String(try #require(packs.first))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
        bytes[200] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: pack))
        let scratch = s.fixture.path("tmp")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let damaged = try s.kura(["drill"], environment: ["TMPDIR": scratch])
        #expect(damaged.status == 1 && damaged.stderr.contains("restore failed"))
        let list = try Self.drills(s)
        #expect(list.map { $0["result"] as? String } == ["passed", "passed", "failed"])
        #expect((list[2]["detail"] as? String)?.contains("fails authentication") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch) == [])
    }
}

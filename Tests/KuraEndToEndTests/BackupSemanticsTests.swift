import Foundation
import Testing

/// Issue 13 item 5: what cron runs means what it says.
@Suite("Backup semantics for cron")
struct BackupSemanticsTests {
    @Test("no readable path: no snapshot and exit 1; some readable: a snapshot and exit 3")
    func unreadablePaths() throws {
        let fixture = try RepositoryFixture()
        let none = try fixture.kura(["backup", "/nonexistent/path"])
        #expect(none.status == 1, "\(none.stderr)")
        #expect(none.stderr.contains("no snapshot was made") && none.stderr.contains("/nonexistent/path"))
        #expect(try fixture.snapshotIDs().isEmpty)

        let real = fixture.path("real")
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: real + "/f"))
        let some = try fixture.kura(["backup", "/nonexistent/path", real])
        #expect(some.status == 3, "\(some.stderr)")
        #expect(try fixture.snapshotIDs().count == 1)
    }

    @Test("'*' in an exclude does not cross '/', '**' does")
    func excludeGlobs() throws {
        let fixture = try RepositoryFixture()
        let src = fixture.path("src")
        try FileManager.default.createDirectory(atPath: src + "/a/b", withIntermediateDirectories: true)
        for file in ["top.tmp", "a/b/deep.tmp", "keep.sql"] { try Data("x".utf8).write(to: URL(fileURLWithPath: src + "/" + file)) }

        #expect(try fixture.kura(["backup", src, "--exclude", src + "/*.tmp", "--quiet"]).status == 0)
        let first = try fixture.kura(["ls", "latest"]).output
        #expect(!first.contains("top.tmp"))
        #expect(first.contains("deep.tmp"), "\(first)")
        #expect(first.contains("keep.sql"))

        #expect(try fixture.kura(["backup", src, "--exclude", src + "/**/*.tmp", "--quiet"]).status == 0)
        let second = try fixture.kura(["ls", "latest"]).output
        #expect(!second.contains("top.tmp") && !second.contains("deep.tmp"), "\(second)")
        #expect(second.contains("keep.sql"))
    }

    @Test("an empty stream is a warning, and with --require-output an error with no snapshot")
    func emptyStreams() throws {
        let fixture = try RepositoryFixture()
        let warned = try fixture.kura(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data())
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("crm.sql was empty"), "\(warned.stderr)")
        #expect(try fixture.snapshotIDs().count == 1)

        let refused = try fixture.kura(["backup", "--from-command", "crm.sql=true", "--require-output"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("crm.sql was empty") && refused.stderr.contains("no snapshot"), "\(refused.stderr)")
        #expect(try fixture.snapshotIDs().count == 1)

        let fine = try fixture.kura(["backup", "--from-command", "crm.sql=echo data", "--require-output", "--quiet"])
        #expect(fine.status == 0 && fine.stderr.isEmpty, "\(fine.stderr)")
    }

    @Test("--tag a,b gives two tags, as in restic")
    func commaTags() throws {
        let fixture = try RepositoryFixture()
        #expect(try fixture.kura(["backup", "--from-command", "x=echo x", "--tag", "nightly,crm", "--tag", "crm", "--quiet"]).status == 0)
        let list = try JSONSerialization.jsonObject(with: try fixture.kura(["snapshots", "--json"]).stdout) as? [[String: Any]] ?? []
        #expect(list.first?["tags"] as? [String] == ["nightly", "crm"])
    }
}

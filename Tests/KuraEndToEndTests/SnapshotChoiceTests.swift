import Foundation
import Testing

/// Issue 15 item 6, "choosing snapshots": --host/--tag/--path on every command that names snapshots and for
/// `latest`; `forget ID…`; `diff`, `find`, `stats`; KURA_PASSWORD_COMMAND; `backup --dry-run`.
@Suite struct SnapshotChoiceTests {
    /// The README's case: nightly crm.sql dumps from db1, then one stray file backup, newer, from another host.
    static func mixedRepository() throws -> (RepositoryFixture, crm: [String], stray: String) {
        let f = try RepositoryFixture()
        for night in 1...2 {
            let r = try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql", "--host", "db1", "--tag", "nightly,crm", "--quiet"],
                               stdin: Data("dump of night \(night)\n".utf8))
            #expect(r.status == 0, "\(r.stderr)")
        }
        let crm = try f.snapshotIDs()
        try FileManager.default.createDirectory(atPath: f.path("etc"), withIntermediateDirectories: true)
        try Data("stray\n".utf8).write(to: URL(fileURLWithPath: f.path("etc/hosts")))
        #expect(try f.kura(["backup", f.path("etc"), "--host", "laptop", "--quiet"]).status == 0)
        let stray = try #require(try f.snapshotIDs().last)
        return (f, crm, stray)
    }

    static func ids(_ result: KuraResult) throws -> [String] {
        (try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func filtersChooseWhatLatestNames() throws {
        let (f, crm, stray) = try Self.mixedRepository()
        // Without filters the stray backup is latest, and it holds no crm.sql.
        let plain = try f.kura(["dump", "latest", "crm.sql"])
        #expect(plain.status == 1 && plain.stderr.contains("crm.sql"), "\(plain.stderr)")
        for filter in [["--host", "db1"], ["--tag", "nightly"], ["--path", "crm.sql"], ["--tag", "crm,nightly", "--host", "db1"]] {
            let dumped = try f.kura(["dump", "latest", "crm.sql"] + filter)
            #expect(dumped.status == 0, "\(filter): \(dumped.stderr)")
            #expect(dumped.output == "dump of night 2\n", "\(filter)")
        }
        #expect(try Self.ids(try f.kura(["snapshots", "--json", "--host", "db1"])) == crm)
        #expect(try Self.ids(try f.kura(["snapshots", "--json", "--host", "laptop"])) == [stray])
        #expect(try Self.ids(try f.kura(["snapshots", "--json", "--tag", "crm,nightly"])) == crm)
        #expect(try Self.ids(try f.kura(["snapshots", "--json", "--tag", "crm,weekly"])).isEmpty)
        #expect(try Self.ids(try f.kura(["snapshots", "--json", "--path", f.path("etc")])) == [stray])

        let listed = try f.kura(["ls", "latest", "--host", "db1"])
        #expect(listed.status == 0 && listed.output == "/crm.sql\n", "\(listed.output)")
        let restored = try f.kura(["restore", "latest", "--target", f.path("out"), "--tag", "nightly", "--quiet"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try String(contentsOfFile: f.path("out/crm.sql"), encoding: .utf8) == "dump of night 2\n")
        #expect(!FileManager.default.fileExists(atPath: f.path("out") + f.path("etc")))

        // A filter nothing passes names no snapshot: exit 1, the filter named, nothing written.
        let none = try f.kura(["dump", "latest", "crm.sql", "--host", "nowhere"])
        #expect(none.status == 1 && none.stderr.contains("--host nowhere") && none.output.isEmpty, "\(none.stderr)")
        // Forget with a filter only considers what passes: laptop's single snapshot is the only one touched.
        let forgot = try f.kura(["forget", "--keep-last", "1", "--host", "db1", "--json"])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(try f.snapshotIDs() == [crm[1], stray])
    }

    @Test func forgetNamedSnapshotsButNeverAHeldOne() throws {
        let (s, ids) = try HoldMirrorTests.heldRepository()
        let refused = try s.kura(["forget", String(ids[1].prefix(8)), String(ids[0].prefix(8))])
        #expect(refused.status == 20, "\(refused.stderr)")
        #expect(refused.stderr.contains(String(ids[0].prefix(8))) && refused.stderr.contains("held") && refused.stderr.contains("訴訟 2026-17"),
                "\(refused.stderr)")
        #expect(try s.fixture.snapshotIDs() == ids, "nothing may be forgotten when one named snapshot is held")

        let forgot = try s.kura(["forget", String(ids[1].prefix(8)), "--json"])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let removed = (try RepositoryFixture.json(forgot)["removed"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(removed == [ids[1]])
        #expect(try s.fixture.snapshotIDs() == [ids[0], ids[2]])

        let both = try s.kura(["forget", String(ids[2].prefix(8)), "--keep-last", "1"])
        #expect(both.status == 64)
        let unknown = try s.kura(["forget", "ffffffffff"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no snapshot ffffffffff"))
        #expect(try s.fixture.snapshotIDs() == [ids[0], ids[2]])
    }

    @Test func diffSaysWhatWasAddedRemovedAndModified() throws {
        let f = try RepositoryFixture()
        let data = f.path("data")
        try FileManager.default.createDirectory(atPath: data + "/keep", withIntermediateDirectories: true)
        try Data("same\n".utf8).write(to: URL(fileURLWithPath: data + "/keep/same.txt"))
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: data + "/gone.txt"))
        try Data("before\n".utf8).write(to: URL(fileURLWithPath: data + "/顧客.csv"))
        #expect(try f.kura(["backup", data, "--quiet"]).status == 0)
        try FileManager.default.removeItem(atPath: data + "/gone.txt")
        try Data("after, longer\n".utf8).write(to: URL(fileURLWithPath: data + "/顧客.csv"))
        try FileManager.default.createDirectory(atPath: data + "/new", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: data + "/new/added.txt"))
        #expect(try f.kura(["backup", data, "--quiet"]).status == 0)
        let ids = try f.snapshotIDs()

        let diff = try f.kura(["diff", String(ids[0].prefix(8)), String(ids[1].prefix(8))])
        #expect(diff.status == 0, "\(diff.stderr)")
        let lines = diff.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("-    \(data)/gone.txt"), "\(diff.output)")
        #expect(lines.contains("M    \(data)/顧客.csv"))
        #expect(lines.contains("+    \(data)/new/"))
        #expect(lines.contains("+    \(data)/new/added.txt"))
        #expect(!diff.output.contains("same.txt"))
        #expect(lines.last == "Files: 1 new, 1 removed, 1 changed; Dirs: 1 new, 0 removed; Added: 20 B, Removed: 11 B", "\(diff.output)")

        let json = try RepositoryFixture.json(try f.kura(["diff", ids[0], "latest", "--json"]))
        let summary = json["summary"] as? [String: Any] ?? [:]
        #expect(summary["files_added"] as? Int == 1 && summary["files_modified"] as? Int == 1 && summary["bytes_removed"] as? Int == 11)
        #expect((json["changes"] as? [[String: Any]])?.count == 4)
        #expect(try f.kura(["diff", ids[0]]).status == 64)
    }

    @Test func findMatchesNamesOrWholePathsAcrossSnapshots() throws {
        let (f, crm, stray) = try Self.mixedRepository()
        let sql = try f.kura(["find", "*.sql", "--json"])
        #expect(sql.status == 0, "\(sql.stderr)")
        let found = try JSONSerialization.jsonObject(with: sql.stdout) as? [[String: Any]] ?? []
        #expect(found.compactMap { ($0["snapshot"] as? [String: Any])?["id"] as? String } == crm.reversed())
        #expect(found.allSatisfy { ($0["matches"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["/crm.sql"] })

        let hosts = try f.kura(["find", "etc/hosts"])
        #expect(hosts.status == 0)
        #expect(hosts.output.contains("snapshot \(stray.prefix(8))") && hosts.output.contains(f.path("etc/hosts")), "\(hosts.output)")
        #expect(!hosts.output.contains(String(crm[0].prefix(8))))
        // A leading '/' anchors the pattern at the root: 'hosts' alone is not a whole path.
        #expect(try f.kura(["find", "/hosts"]).output.hasPrefix("no path in 3 snapshots match"))
        #expect(try f.kura(["find", "*.sql", "--host", "laptop"]).output.hasPrefix("no path in 1 snapshot match"))
    }

    @Test func statsCountsRestoreSizeAndRawData() throws {
        let f = try RepositoryFixture()
        let data = f.path("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try Data(repeating: 1, count: 50_000).write(to: URL(fileURLWithPath: data + "/a.bin"))
        try Data(repeating: 1, count: 50_000).write(to: URL(fileURLWithPath: data + "/copy-of-a.bin"))
        #expect(try f.kura(["backup", data, "--quiet"]).status == 0)
        #expect(try f.kura(["backup", data, "--quiet"]).status == 0)

        let restore = try RepositoryFixture.json(try f.kura(["stats", "--json"]))
        #expect(restore["mode"] as? String == "restore-size" && restore["snapshots_count"] as? Int == 2)
        #expect(restore["total_file_count"] as? Int == 4 && restore["total_size"] as? Int == 200_000, "\(restore)")
        let one = try RepositoryFixture.json(try f.kura(["stats", "latest", "--json"]))
        #expect(one["total_size"] as? Int == 100_000)

        // The same bytes, stored once: one data chunk, and the trees.
        let raw = try RepositoryFixture.json(try f.kura(["stats", "--mode", "raw-data", "--json"]))
        let blobs = raw["total_blob_count"] as? Int ?? 0
        let uncompressed = raw["total_uncompressed_size"] as? Int ?? 0
        #expect(blobs >= 2 && blobs <= 12, "one chunk and a few trees: \(raw)")
        #expect(uncompressed > 50_000 && uncompressed < 70_000, "\(raw)")
        #expect((raw["total_size"] as? Int ?? 0) < uncompressed, "zeros compress")
        let text = try f.kura(["stats"])
        #expect(text.output.contains("Total File Count:  4"), "\(text.output)")
        #expect(try f.kura(["stats", "--mode", "blobs"]).status == 64)
    }

    @Test func passwordCommandFromTheEnvironment() throws {
        let f = try RepositoryFixture()
        let environment = ["KURA_PASSWORD": "", "KURA_PASSWORD_COMMAND": "printf '%s\\n' '\(f.password)'"]
        var noPassword = f.environment
        noPassword["KURA_PASSWORD"] = nil
        let listed = try Kura.run(["snapshots"], environment: noPassword.merging(["KURA_PASSWORD_COMMAND": environment["KURA_PASSWORD_COMMAND"]!]) { $1 })
        #expect(listed.status == 0, "\(listed.stderr)")
        let wrong = try Kura.run(["snapshots"], environment: noPassword.merging(["KURA_PASSWORD_COMMAND": "echo not-it"]) { $1 })
        #expect(wrong.status == 12, "\(wrong.stderr)")
        let failing = try Kura.run(["snapshots"], environment: noPassword.merging(["KURA_PASSWORD_COMMAND": "exit 3"]) { $1 })
        #expect(failing.status != 0)
    }

    /// Every file under the repository with its size and modification time (directories by name: taking a lock
    /// changes the mtime of locks/).
    static func contents(of directory: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)!
        while let name = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            let isFile = attributes[.type] as? FileAttributeType == .typeRegular
            result[name] = isFile ? "\(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? "")" : "directory"
        }
        return result
    }

    @Test func dryRunWritesNothingAndSaysWhatIsNew() throws {
        let f = try RepositoryFixture()
        let data = f.path("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let bytes = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: data + "/table.bin"))
        let catalog = f.path("catalog.db")
        let before = try Self.contents(of: f.repo)

        let dry = try f.kura(["backup", data, "--dry-run", "--json", "--catalog", catalog])
        #expect(dry.status == 0, "\(dry.stderr)")
        let summary = try RepositoryFixture.json(dry)
        #expect(summary["snapshot"] is NSNull && summary["dry_run"] == nil)
        let dryNew = summary["bytes_new"] as? Int ?? 0
        #expect(summary["bytes_read"] as? Int == 400_000 && dryNew > 400_000 && dryNew < 410_000, "the file and its trees: \(summary)")
        #expect(try Self.contents(of: f.repo) == before, "a dry run wrote into the repository")
        #expect(!FileManager.default.fileExists(atPath: catalog))
        let text = try f.kura(["backup", data, "--dry-run"])
        #expect(text.output.contains("would back up 1 files") && text.output.contains("dry run: nothing was written"), "\(text.output)")
        let streamed = try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql", "--dry-run", "--json"], stdin: Data(bytes))
        #expect(streamed.status == 0)
        let streamedNew = try RepositoryFixture.json(streamed)["bytes_new"] as? Int ?? 0
        #expect(streamedNew > 400_000 && streamedNew < 401_000, "the stream and one tree")
        #expect(try Self.contents(of: f.repo) == before)
        #expect(try f.snapshotIDs().isEmpty)

        // The real backup stores what the dry run said was new; a dry run after it finds nothing new.
        let real = try RepositoryFixture.json(try f.kura(["backup", data, "--json"]))
        #expect(real["bytes_new"] as? Int == dryNew)
        // The file's chunks are stored now; only trees of directories whose times changed can be new.
        let again = try RepositoryFixture.json(try f.kura(["backup", data, "--dry-run", "--json", "--no-cache"]))
        #expect((again["bytes_new"] as? Int ?? .max) < 10_000 && again["bytes_read"] as? Int == 400_000, "\(again)")
        #expect(try f.snapshotIDs().count == 1)
    }
}

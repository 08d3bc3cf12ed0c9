import Foundation
import Synchronization
import Testing

/// Acceptance 5–8 of issue 2, plus locks and unreadable files.
@Suite(.serialized) struct FailureModeTests {
    @Test func wrongPasswordExits12AndMissingRepositoryExits10() throws {
        let fixture = try RepositoryFixture()
        let wrong = try fixture.kura(["snapshots"], environment: ["KURA_PASSWORD": "not the password"])
        #expect(wrong.status == 12)
        #expect(wrong.stderr.split(separator: "\n").count == 1)
        #expect(wrong.stderr.contains("wrong password"))
        let missing = try fixture.kura(["snapshots"], environment: ["KURA_REPO": fixture.path("nothing-here")])
        #expect(missing.status == 10)
        #expect(missing.stderr.contains("no repository"))
        let usage = try fixture.kura(["backup"])
        #expect(usage.status == 64)
    }

    @Test func passwordComesFromFileCommandOrEnvironment() throws {
        let fixture = try RepositoryFixture()
        let file = fixture.path("password")
        try (fixture.password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let noEnv = ["KURA_PASSWORD": ""]
        #expect(try fixture.kura(["snapshots", "--password-file", file], environment: noEnv).status == 0)
        #expect(try fixture.kura(["snapshots"], environment: ["KURA_PASSWORD_FILE": file]).status == 0)
        #expect(try fixture.kura(["snapshots", "--password-command", "cat '\(file)'"], environment: noEnv).status == 0)
        #expect(try fixture.kura(["snapshots", "--password-command", "echo wrong"], environment: noEnv).status == 12)
        let failing = try fixture.kura(["snapshots", "--password-command", "exit 3"], environment: noEnv)
        #expect(failing.status == 1 && failing.stderr.contains("password command failed"))
    }

    @Test func writeOnlyKeyBacksUpButCannotRead() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)' && head -c 3000000 /dev/urandom > '\(source)/data.bin'").status == 0)
        #expect(try fixture.kura(["backup", source]).status == 0)
        let added = try fixture.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": "writer"])
        #expect(added.status == 0, "\(added.stderr)")
        let writer = ["KURA_PASSWORD": "writer", "XDG_CACHE_HOME": fixture.path("writer-cache")]

        let backup = try fixture.kura(["backup", source, "--json"], environment: writer)
        #expect(backup.status == 0, "\(backup.stderr)")
        let summary = try RepositoryFixture.json(backup)
        #expect((summary["bytes_read"] as? Int ?? 0) >= 3_000_000)
        #expect((summary["bytes_new"] as? Int ?? .max) < 10_000)
        let id = try #require((summary["snapshot"] as? [String: Any])?["id"] as? String)

        for arguments in [["dump", id, source + "/data.bin"], ["restore", id, "--target", fixture.path("r")], ["ls", id],
                          ["check", "--read-data"], ["snapshots"]] {
            let refused = try fixture.kura(arguments, environment: writer)
            #expect(refused.status == 12, "\(arguments) exited \(refused.status)")
            #expect(refused.stderr.contains("write-only"), "\(arguments): \(refused.stderr)")
        }
        // The full key reads what the write-only key wrote.
        let dumped = try fixture.kura(["dump", id, source + "/data.bin"])
        #expect(dumped.stdout == (try Data(contentsOf: URL(fileURLWithPath: source + "/data.bin"))))
        let list = try fixture.kura(["key", "list", "--json"])
        let kinds = (try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.sorted() == ["full", "write-only"])
    }

    @Test func lastFullKeyCannotBeRemovedAndPasswdWorks() throws {
        let fixture = try RepositoryFixture()
        #expect(try fixture.kura(["key", "add"], environment: ["KURA_NEW_PASSWORD": "second"]).status == 0)
        let keys = try JSONSerialization.jsonObject(with: try fixture.kura(["key", "list", "--json"]).stdout) as? [[String: Any]] ?? []
        let other = try #require(keys.first { ($0["current"] as? Bool) == false }?["id"] as? String)
        let current = try #require(keys.first { ($0["current"] as? Bool) == true }?["id"] as? String)
        #expect(try fixture.kura(["key", "remove", other]).status == 0)
        let last = try fixture.kura(["key", "remove", current], environment: ["KURA_PASSWORD": fixture.password])
        #expect(last.status != 0)
        #expect(try fixture.kura(["key", "passwd"], environment: ["KURA_NEW_PASSWORD": "changed"]).status == 0)
        #expect(try fixture.kura(["snapshots"]).status == 12)
        #expect(try fixture.kura(["snapshots"], environment: ["KURA_PASSWORD": "changed"]).status == 0)
    }

    @Test func flippedByteIsReportedByPackAndSnapshotAndOthersStillRestore() throws {
        let fixture = try RepositoryFixture()
        let a = fixture.path("a"), b = fixture.path("b")
        #expect(try Kura.shell("mkdir -p '\(a)' '\(b)' && head -c 2000000 /dev/urandom > '\(a)/one' && head -c 2000000 /dev/urandom > '\(b)/two'").status == 0)
        #expect(try fixture.kura(["backup", a]).status == 0)
        let packsBefore = Set(try Kura.shell("find '\(fixture.repo)/data' -type f").output.split(separator: "\n").map(String.init))
        #expect(try fixture.kura(["backup", b]).status == 0)
        let ids = try fixture.snapshotIDs()
        let newPacks = Set(try Kura.shell("find '\(fixture.repo)/data' -type f").output.split(separator: "\n").map(String.init)).subtracting(packsBefore)
        let pack = try #require(newPacks.first)
        #expect(try fixture.kura(["check", "--read-data"]).status == 0)

        #expect(try Kura.shell("printf '\\x5a' | dd of='\(pack)' bs=1 seek=1000 conv=notrunc status=none").status == 0)
        let check = try fixture.kura(["check", "--read-data"])
        #expect(check.status == 1)
        let packID = URL(fileURLWithPath: pack).lastPathComponent
        #expect(check.stderr.contains(packID))
        #expect(check.stderr.contains(String(ids[1].prefix(8))))
        #expect(!check.stderr.contains(String(ids[0].prefix(8))))

        let target = fixture.path("restore-a")
        #expect(try fixture.kura(["restore", String(ids[0].prefix(8)), "--target", target]).status == 0)
        #expect(FileManager.default.contents(atPath: target + a + "/one") == FileManager.default.contents(atPath: a + "/one"))
        #expect(try fixture.kura(["restore", String(ids[1].prefix(8)), "--target", fixture.path("restore-b")]).status == 1)
    }

    @Test func concurrentBackupsBothSucceedAndRestore() throws {
        let fixture = try RepositoryFixture()
        let a = fixture.path("a"), b = fixture.path("b")
        #expect(try Kura.shell("mkdir -p '\(a)' '\(b)' && head -c 20000000 /dev/urandom > '\(a)/one' && head -c 20000000 /dev/urandom > '\(b)/two' && cp '\(a)/one' '\(b)/shared'").status == 0)
        let finished = Mutex<[KuraResult?]>([nil, nil])
        // Both threads only read the fixture (its paths and environment) to start a process.
        nonisolated(unsafe) let shared = fixture
        let group = DispatchGroup()
        for (i, path) in [a, b].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let result = try? shared.kura(["backup", path])
                finished.withLock { $0[i] = result }
                group.leave()
            }
        }
        group.wait()
        let results = finished.withLock { $0 }
        #expect(results.allSatisfy { $0?.status == 0 }, "\(results.map { $0?.stderr ?? "nil" })")
        #expect(try fixture.snapshotIDs().count == 2)
        #expect(try fixture.kura(["check", "--read-data"]).status == 0)
        let target = fixture.path("restore")
        for id in try fixture.snapshotIDs() {
            #expect(try fixture.kura(["restore", id, "--target", target]).status == 0)
        }
        #expect(FileManager.default.contents(atPath: target + b + "/shared") == FileManager.default.contents(atPath: a + "/one"))
        #expect(FileManager.default.contents(atPath: target + b + "/two") == FileManager.default.contents(atPath: b + "/two"))
    }

    @Test func liveExclusiveLockExits11AndStaleLocksNeverBlock() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)' && echo x > '\(source)/f'").status == 0)
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(600))
        let now = ISO8601DateFormatter().string(from: Date())
        let host = ProcessInfo.processInfo.hostName
        let live = #"{"exclusive":true,"expires":"\#(expires)","hostname":"\#(host)","operation":"check","pid":\#(getpid()),"time":"\#(now)","username":"test"}"#
        try live.write(toFile: fixture.repo + "/locks/" + String(repeating: "a", count: 64), atomically: true, encoding: .utf8)
        let blocked = try fixture.kura(["backup", source])
        #expect(blocked.status == 11)
        #expect(blocked.stderr.contains("locked") && blocked.stderr.contains("pid \(getpid())"))

        let dead = #"{"exclusive":true,"expires":"\#(expires)","hostname":"\#(host)","operation":"check","pid":2147483000,"time":"\#(now)","username":"test"}"#
        try dead.write(toFile: fixture.repo + "/locks/" + String(repeating: "a", count: 64), atomically: true, encoding: .utf8)
        let expired = #"{"exclusive":true,"expires":"2001-01-01T00:00:00Z","hostname":"elsewhere","operation":"check","pid":1,"time":"2001-01-01T00:00:00Z","username":"test"}"#
        try expired.write(toFile: fixture.repo + "/locks/" + String(repeating: "b", count: 64), atomically: true, encoding: .utf8)
        #expect(try fixture.kura(["backup", source]).status == 0)
    }

    @Test func unreadableFileIsAWarningAndExits3() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)' && echo ok > '\(source)/readable' && echo secret > '\(source)/locked' && chmod 000 '\(source)/locked'").status == 0)
        var result: KuraResult
        if geteuid() == 0 {
            // Root reads anything; run kura as an unprivileged user who owns the repository and cache.
            #expect(try Kura.shell("chown -R nobody '\(fixture.directory.path)' && chmod 755 '\(fixture.directory.path)'").status == 0)
            let env = fixture.environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            result = try Kura.shell("setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/tmp \(env) '\(Kura.executable.path)' backup '\(source)'")
        } else {
            result = try fixture.kura(["backup", source])
        }
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("locked"))
        if geteuid() == 0 { #expect(try Kura.shell("chown -R root '\(fixture.directory.path)'").status == 0) }
        let listing = try fixture.kura(["ls", "latest"]).output
        #expect(listing.contains("/readable"))
        #expect(!listing.contains("/locked"))
    }
}

import Foundation
import Testing

/// Issue 12 item 1: a host holding only a write-only key can add backups, and nothing it writes or runs
/// can harm a full-key reader: forged tree names, duplicate entries and snapshots dated in the future are
/// refused or confined, and removing keys, snapshots or locks needs a full key.
@Suite("Write-only key boundary")
struct WriteOnlyBoundaryTests {
    static let writeOnlyPassword = "write-only host password"

    /// A repository with one real backup of `src/a.txt`, and a write-only key.
    final class Setup {
        let fixture: RepositoryFixture
        let source: String

        init() throws {
            fixture = try RepositoryFixture(name: "kura-wo")
            source = fixture.path("src")
            try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
            try Data("real customer data\n".utf8).write(to: URL(fileURLWithPath: source + "/a.txt"))
            #expect(try fixture.kura(["backup", source, "--quiet"]).status == 0)
            let added = try fixture.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": writeOnlyPassword])
            #expect(added.status == 0, "\(added.stderr)")
        }

        var writeOnly: [String: String] { ["KURA_PASSWORD": WriteOnlyBoundaryTests.writeOnlyPassword] }

        func forgery() throws -> WriteOnlyForgery {
            try WriteOnlyForgery(repo: fixture.repo, password: WriteOnlyBoundaryTests.writeOnlyPassword)
        }

        func snapshots() throws -> [[String: Any]] {
            let result = try fixture.kura(["snapshots", "--json"])
            return try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        }
    }

    @Test("forged entry names are refused by restore, ls, dump and check", arguments: ["../../escape", "..", ".", "/tmp/kura-abs-escape", "a/b", ""])
    func forgedNames(name: String) throws {
        let setup = try Setup()
        let id = try setup.forgery().snapshot(hostname: "db1", paths: ["/forged"]) { saveData, saveTree in
            let content = try saveData(Array("planted by a write-only host\n".utf8))
            return try saveTree([WriteOnlyForgery.file(name, content: [content], size: 29)])
        }
        let short = String(id.hex.prefix(8))
        let target = setup.fixture.path("t/u")
        let restore = try setup.fixture.kura(["restore", short, "--target", target])
        #expect(restore.status == 1, "restore: \(restore.stderr)")
        #expect(restore.stderr.contains("forged or damaged"), "\(restore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.fixture.path("escape")))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/kura-abs-escape"))

        let ls = try setup.fixture.kura(["ls", short])
        #expect(ls.status == 1 && ls.stderr.contains("forged or damaged"), "ls: \(ls.status) \(ls.stderr)")
        let dump = try setup.fixture.kura(["dump", short, name.isEmpty ? "x" : name])
        #expect(dump.status != 0 && dump.stdout.isEmpty, "dump: \(dump.status) \(dump.stderr)")

        let check = try setup.fixture.kura(["check", "--read-data"])
        #expect(check.status == 1, "check: \(check.output)")
        #expect(check.stderr.contains("snapshot \(short)") && check.stderr.contains("forged or damaged"), "\(check.stderr)")
    }

    @Test("a symlink followed by a directory of the same name is refused, and nothing outside is touched")
    func duplicateNames() throws {
        let setup = try Setup()
        let outside = setup.fixture.path("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        chmod(outside, 0o750)
        let id = try setup.forgery().snapshot(hostname: "db1", paths: ["/forged"]) { saveData, saveTree in
            let content = try saveData(Array("planted\n".utf8))
            let inner = try saveTree([WriteOnlyForgery.file("x", content: [content], size: 8)])
            return try saveTree([WriteOnlyForgery.symlink("d", target: outside), WriteOnlyForgery.directory("d", subtree: inner)])
        }
        let restore = try setup.fixture.kura(["restore", String(id.hex.prefix(8)), "--target", setup.fixture.path("t")])
        #expect(restore.status == 1)
        #expect(restore.stderr.contains("appears twice"), "\(restore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside + "/x"))
        var st = stat()
        #expect(stat(outside, &st) == 0 && st.st_mode & 0o7777 == 0o750)
        let check = try setup.fixture.kura(["check"])
        #expect(check.status == 1 && check.stderr.contains("appears twice"), "\(check.stderr)")
    }

    @Test("media write refuses a snapshot whose tree was forged")
    func mediaWriteRefusesForgedTree() throws {
        let media = try MediaFixture()
        let setup = media.repository
        try Data("x".utf8).write(to: URL(fileURLWithPath: setup.path("file")))
        #expect(try media.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": Self.writeOnlyPassword]).status == 0)
        let id = try WriteOnlyForgery(repo: setup.repo, password: Self.writeOnlyPassword).snapshot(hostname: "db1", paths: ["/f"]) { saveData, saveTree in
            try saveTree([WriteOnlyForgery.file("../../../etc/cron.d/evil", content: [try saveData(Array("x".utf8))], size: 1)])
        }
        let write = try media.kura(["media", "write", "TAPE01", String(id.hex.prefix(8)), "--device", media.device, "--as", "alice"])
        #expect(write.status == 1, "\(write.stderr)")
        #expect(write.stderr.contains("forged or damaged"), "\(write.stderr)")
        let show = try media.kura(["media", "show", "TAPE01", "--json"])
        #expect(!show.output.contains(id.hex), "the catalog recorded a set that was never written")
    }

    @Test("a medium carrying a forged tree is refused by media verify and by restore and dump from the medium")
    func forgedMedium() throws {
        let media = try MediaFixture()
        let setup = media.repository
        #expect(try media.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": Self.writeOnlyPassword]).status == 0)
        let outside = setup.path("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let id = try WriteOnlyForgery(repo: setup.repo, password: Self.writeOnlyPassword).snapshot(hostname: "db1", paths: ["/f"]) { saveData, saveTree in
            let content = try saveData(Array("planted\n".utf8))
            let inner = try saveTree([WriteOnlyForgery.file("x", content: [content], size: 8)])
            return try saveTree([WriteOnlyForgery.file("../escape", content: [content], size: 8),
                                 WriteOnlyForgery.symlink("d", target: outside), WriteOnlyForgery.directory("d", subtree: inner)])
        }
        try WriteOnlyForgery.writeMedium(repo: setup.repo, fullPassword: setup.password, snapshot: id, serial: "TAPE01", device: media.device)

        let target = setup.path("t/u")
        let restore = try media.kura(["restore", "--from-media", media.device, "latest", "--target", target])
        #expect(restore.status == 1, "\(restore.stderr)")
        #expect(restore.stderr.contains("forged or damaged"), "\(restore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.path("t/escape")))
        #expect(!FileManager.default.fileExists(atPath: outside + "/x"))
        let dump = try media.kura(["dump", "--from-media", media.device, "latest", "x"])
        #expect(dump.status != 0 && dump.stdout.isEmpty, "\(dump.stderr)")
        let verify = try media.kura(["media", "verify", "TAPE01", "--device", media.device])
        #expect(verify.status == 1, "\(verify.output) \(verify.stderr)")
        #expect((verify.output + verify.stderr).contains("forged or damaged"), "\(verify.output) \(verify.stderr)")
    }

    @Test("a snapshot dated in the future is never latest and counts toward no keep rule")
    func futureDatedSnapshot() throws {
        let setup = try Setup()
        try Data("second day\n".utf8).write(to: URL(fileURLWithPath: setup.source + "/a.txt"))
        #expect(try setup.fixture.kura(["backup", setup.source, "--quiet"]).status == 0)
        let real = try setup.snapshots()
        #expect(real.count == 2)
        let host = real[0]["hostname"] as? String ?? ""
        let paths = real[0]["paths"] as? [String] ?? []
        let future = Date(timeIntervalSince1970: 4_070_908_800)  // 2099-01-01
        let forged = try setup.forgery().snapshot(time: future, hostname: host, paths: paths) { saveData, saveTree in
            try saveTree([WriteOnlyForgery.file("a.txt", content: [try saveData(Array("forged\n".utf8))], size: 7)])
        }

        let listed = try setup.fixture.kura(["snapshots", "--json"])
        #expect(listed.stderr.contains("in the future"), "\(listed.stderr)")
        let rows = try JSONSerialization.jsonObject(with: listed.stdout) as? [[String: Any]] ?? []
        #expect(rows.first { $0["id"] as? String == forged.hex }?["future_dated"] as? Bool == true)
        #expect(rows.filter { $0["future_dated"] as? Bool == true }.count == 1)

        let ls = try setup.fixture.kura(["dump", "latest", setup.source + "/a.txt"])
        #expect(ls.status == 0 && ls.output == "second day\n", "latest chose \(ls.output) \(ls.stderr)")

        let check = try setup.fixture.kura(["check"])
        #expect(check.status == 1 && check.stderr.contains("2099-01-01"), "\(check.stderr)")

        let forget = try setup.fixture.kura(["forget", "--keep-last", "1"])
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stderr.contains("in the future"))
        let left = try setup.snapshots().compactMap { $0["id"] as? String }
        #expect(left.count == 2)
        #expect(left.contains(forged.hex))
        #expect(left.contains(real[1]["id"] as? String ?? "?"), "the newest real snapshot was forgotten")
    }

    @Test("a write-only key cannot remove or change keys, forget, prune, or remove others' locks")
    func writeOnlyCannotDestroy() throws {
        let setup = try Setup()
        let keys = try setup.fixture.kura(["key", "list", "--json"])
        let list = try JSONSerialization.jsonObject(with: keys.stdout) as? [[String: Any]] ?? []
        let full = try #require(list.first { $0["kind"] as? String == "full" }?["id"] as? String)
        let keyFile = setup.fixture.repo + "/keys/" + full

        let remove = try setup.fixture.kura(["key", "remove", String(full.prefix(8))], environment: setup.writeOnly)
        #expect(remove.status == 12 && remove.stderr.contains("write-only"), "\(remove.status) \(remove.stderr)")
        #expect(FileManager.default.fileExists(atPath: keyFile))

        let passwd = try setup.fixture.kura(["key", "passwd"], environment: setup.writeOnly.merging(["KURA_NEW_PASSWORD": "other"]) { $1 })
        #expect(passwd.status == 12 && passwd.stderr.contains("write-only"), "\(passwd.stderr)")

        let forget = try setup.fixture.kura(["forget", "--keep-last", "1"], environment: setup.writeOnly)
        #expect(forget.status == 12 && forget.stderr.contains("write-only"), "\(forget.stderr)")
        let prune = try setup.fixture.kura(["prune"], environment: setup.writeOnly)
        #expect(prune.status == 12 && prune.stderr.contains("write-only"), "\(prune.stderr)")
        #expect(try setup.snapshots().count == 1)

        // A live lock of another host, and a stale one of another host.
        let locks = setup.fixture.repo + "/locks/"
        func writeLock(_ name: String, expires: String) throws {
            let json = #"{"exclusive":false,"expires":"\#(expires)","hostname":"other-host","operation":"backup","pid":1,"time":"2020-01-01T00:00:00Z","username":"u"}"#
            try Data(json.utf8).write(to: URL(fileURLWithPath: locks + name))
        }
        try writeLock("live", expires: "2099-01-01T00:00:00Z")
        try writeLock("stale", expires: "2020-01-01T00:05:00Z")
        let removeAll = try setup.fixture.kura(["unlock", "--remove-all"], environment: setup.writeOnly)
        #expect(removeAll.status == 12 && removeAll.stderr.contains("write-only"), "\(removeAll.stderr)")
        let tidy = try setup.fixture.kura(["unlock"], environment: setup.writeOnly)
        #expect(tidy.status == 0)
        #expect(FileManager.default.fileExists(atPath: locks + "live") && FileManager.default.fileExists(atPath: locks + "stale"))
        #expect(try setup.fixture.kura(["unlock"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: locks + "stale"))
        #expect(try setup.fixture.kura(["unlock", "--remove-all"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: locks + "live"))

        // What it may do: add backups and write-only keys.
        let backup = try setup.fixture.kura(["backup", setup.source, "--quiet"], environment: setup.writeOnly)
        #expect(backup.status == 0, "\(backup.stderr)")
        let add = try setup.fixture.kura(["key", "add", "--write-only"], environment: setup.writeOnly.merging(["KURA_NEW_PASSWORD": "third"]) { $1 })
        #expect(add.status == 0, "\(add.stderr)")
    }
}

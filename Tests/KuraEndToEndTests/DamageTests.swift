import Foundation
import Testing

/// Issue 13, item 1: one damaged file costs only what it holds.
@Suite(.serialized) struct DamageTests {
    enum Damage: CaseIterable { case flip, truncate, zero }

    static func damage(_ path: String, _ how: Damage, at fraction: Double = 0.5) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let offset = min(bytes.count - 1, Int(Double(bytes.count) * fraction))
        switch how {
        case .flip: bytes[offset] ^= 0x01
        case .truncate: bytes.removeLast()
        case .zero: bytes[offset] = bytes[offset] == 0 ? 0xff : 0
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") && !$0.contains(".tmp-") }.sorted()
    }

    static func packs(_ repo: String) throws -> Set<String> {
        var out = Set<String>()
        for sub in try files(repo + "/data") { for name in try files(repo + "/data/" + sub) { out.insert(repo + "/data/" + sub + "/" + name) } }
        return out
    }

    /// Two backups of different random data, so that each has its own pack and its own index file.
    static func twoBackups(_ fixture: RepositoryFixture) throws -> (first: String, second: String) {
        let first = fixture.path("first"), second = fixture.path("second")
        #expect(try Kura.shell("mkdir -p '\(first)' '\(second)' && head -c 2000000 /dev/urandom > '\(first)/a.bin' "
            + "&& head -c 2000000 /dev/urandom > '\(second)/b.bin'").status == 0)
        #expect(try fixture.kura(["backup", first]).status == 0)
        #expect(try fixture.kura(["backup", second]).status == 0)
        return (first, second)
    }

    @Test(arguments: Damage.allCases) func aDamagedIndexFileIsSkippedAndRestoresStillWork(_ how: Damage) throws {
        let fixture = try RepositoryFixture()
        let (first, second) = try Self.twoBackups(fixture)
        let indexFiles = try Self.files(fixture.repo + "/index")
        #expect(indexFiles.count == 2)
        try Self.damage(fixture.repo + "/index/" + indexFiles[0], how)

        let ids = try fixture.snapshotIDs()
        #expect(ids.count == 2)
        for (id, source, name) in [(ids[0], first, "a.bin"), (ids[1], second, "b.bin")] {
            let target = fixture.path("restore-\(id.prefix(8))")
            let restored = try fixture.kura(["restore", id, "--target", target])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(restored.stderr.contains("warning: index file index/\(indexFiles[0]) is damaged"), "\(restored.stderr)")
            #expect(FileManager.default.contentsEqual(atPath: source + "/" + name, andPath: target + source + "/" + name))
        }

        let check = try fixture.kura(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("index/\(indexFiles[0])") && check.stderr.contains("kura repair index"), "\(check.stderr)")

        let writer = ["KURA_PASSWORD": "writer", "XDG_CACHE_HOME": fixture.path("writer-cache")]
        #expect(try fixture.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": "writer"]).status == 0)
        let refused = try fixture.kura(["repair", "index"], environment: writer)
        #expect(refused.status == 12 && refused.stderr.contains("write-only"), "\(refused.stderr)")
        let writeOnlyBackup = try fixture.kura(["backup", first], environment: writer)
        #expect(writeOnlyBackup.status == 0, "\(writeOnlyBackup.stderr)")
        #expect(writeOnlyBackup.stderr.contains("write-only") && writeOnlyBackup.stderr.contains("duplicates"), "\(writeOnlyBackup.stderr)")

        let damagedFile = fixture.repo + "/index/" + indexFiles[0]
        let damagedBytes = try Data(contentsOf: URL(fileURLWithPath: damagedFile))
        let repaired = try fixture.kura(["repair", "index"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(!FileManager.default.fileExists(atPath: damagedFile))
        let clean = try fixture.kura(["check", "--read-data"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.output.contains("no errors found"))
        #expect(!clean.stderr.contains("warning"), "\(clean.stderr)")

        // What an interruption between writing the new index and removing the old files leaves: the damaged file,
        // superseded. Nothing warns about it, and prune removes it.
        try damagedBytes.write(to: URL(fileURLWithPath: damagedFile))
        let afterCrash = try fixture.kura(["restore", "latest", "--target", fixture.path("after-crash")])
        #expect(afterCrash.status == 0 && !afterCrash.stderr.contains("warning"), "\(afterCrash.stderr)")
        #expect(try fixture.kura(["check"]).status == 0)
        let prune = try fixture.kura(["prune"])
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(!FileManager.default.fileExists(atPath: damagedFile))
    }

    @Test func aDamagedKeySlotIsSkippedAndCheckNamesIt() throws {
        let fixture = try RepositoryFixture()
        #expect(try fixture.kura(["backup", "--stdin", "--stdin-name", "x"], stdin: Data("hello".utf8)).status == 0)
        let before = Set(try Self.files(fixture.repo + "/keys"))
        #expect(try fixture.kura(["key", "add"], environment: ["KURA_NEW_PASSWORD": "second"]).status == 0)
        #expect(try fixture.kura(["key", "add"], environment: ["KURA_NEW_PASSWORD": "third"]).status == 0)
        let added = Set(try Self.files(fixture.repo + "/keys")).subtracting(before).sorted()
        #expect(added.count == 2)
        // A changed hex digit still decodes; the slot's checksum finds it. A cut file does not decode at all.
        let secondPath = fixture.repo + "/keys/" + added[0]
        var text = try String(contentsOfFile: secondPath, encoding: .utf8)
        let data = try #require(text.range(of: "\"data\" : \""))
        let digit = text.index(data.upperBound, offsetBy: 10)
        text.replaceSubrange(digit...digit, with: text[digit] == "a" ? "b" : "a")
        try text.write(toFile: secondPath, atomically: false, encoding: .utf8)
        try Self.damage(fixture.repo + "/keys/" + added[1], .truncate, at: 1)
        try Data(try Data(contentsOf: URL(fileURLWithPath: fixture.repo + "/keys/" + added[1])).prefix(40))
            .write(to: URL(fileURLWithPath: fixture.repo + "/keys/" + added[1]))

        let opened = try fixture.kura(["snapshots"])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stderr.contains("key slot keys/\(added[0]) is damaged"), "\(opened.stderr)")
        #expect(opened.stderr.contains("key slot keys/\(added[1]) is damaged"), "\(opened.stderr)")
        let wrong = try fixture.kura(["snapshots"], environment: ["KURA_PASSWORD": "second"])
        #expect(wrong.status == 12)

        let check = try fixture.kura(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("key slot keys/\(added[0]) is damaged"), "\(check.stderr)")
        #expect(check.stderr.contains("key slot keys/\(added[1]) is damaged"), "\(check.stderr)")
        for id in added { #expect(try fixture.kura(["key", "remove", String(id.prefix(8))]).status == 0) }
        #expect(try fixture.kura(["check"]).status == 0)
    }

    @Test func checkSaysWhenNoFullKeySlotIsLeft() throws {
        let fixture = try RepositoryFixture()
        let full = try Self.files(fixture.repo + "/keys")
        #expect(try fixture.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": "writer"]).status == 0)
        #expect(try fixture.kura(["backup", "--stdin", "--stdin-name", "x"], stdin: Data("hello".utf8)).status == 0)
        // Deleted outside kura, which never removes the last full key.
        try FileManager.default.removeItem(atPath: fixture.repo + "/keys/" + full[0])
        let check = try fixture.kura(["check"], environment: ["KURA_PASSWORD": "writer"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("no intact full key slot is left"), "\(check.stderr)")
    }

    @Test func aDamagedSnapshotFileIsSkippedAndPruneRefuses() throws {
        let fixture = try RepositoryFixture()
        let (first, second) = try Self.twoBackups(fixture)
        let ids = try fixture.snapshotIDs()
        try Self.damage(fixture.repo + "/snapshots/" + ids[1], .flip)
        let named = "snapshot file snapshots/\(ids[1]) is damaged"

        let list = try fixture.kura(["snapshots", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.contains(named), "\(list.stderr)")
        #expect(try fixture.snapshotIDs() == [ids[0]])

        let target = fixture.path("restored")
        let restored = try fixture.kura(["restore", "latest", "--target", target])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stderr.contains(named))
        #expect(FileManager.default.contentsEqual(atPath: first + "/a.bin", andPath: target + first + "/a.bin"))
        #expect(!FileManager.default.fileExists(atPath: target + second))

        let forget = try fixture.kura(["forget", "--keep-last", "5"])
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stderr.contains(named))

        let prune = try fixture.kura(["prune"])
        #expect(prune.status == 1)
        #expect(prune.stderr.contains(named) && prune.stderr.contains("prune refused"), "\(prune.stderr)")
        #expect(try Self.packs(fixture.repo).count == 2)

        let check = try fixture.kura(["check"])
        #expect(check.status == 1 && check.stderr.contains(named))

        let dry = try fixture.kura(["repair", "snapshots", "--forget", "--dry-run"])
        #expect(dry.status == 0 && dry.output.contains("would be forgotten"), "\(dry.output)")
        #expect(FileManager.default.fileExists(atPath: fixture.repo + "/snapshots/" + ids[1]))
        let repaired = try fixture.kura(["repair", "snapshots", "--forget"])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.repo + "/snapshots/" + ids[1]))
        let pruned = try fixture.kura(["prune"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(try fixture.kura(["check"]).status == 0)
    }

    @Test func repairSnapshotsKeepsWhatRemainsWhenAPackIsDeleted() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)/sub' && head -c 2000000 /dev/urandom > '\(source)/old.bin'").status == 0)
        #expect(try fixture.kura(["backup", source]).status == 0)
        let firstPacks = try Self.packs(fixture.repo)
        #expect(try Kura.shell("head -c 2000000 /dev/urandom > '\(source)/new.bin' && echo こんにちは > '\(source)/sub/メモ.txt'").status == 0)
        #expect(try fixture.kura(["backup", source]).status == 0)
        let ids = try fixture.snapshotIDs()
        for pack in firstPacks { try FileManager.default.removeItem(atPath: pack) }

        let dry = try fixture.kura(["repair", "snapshots", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.output.contains("\(source)/old.bin: data blob"), "\(dry.output)")
        #expect(try fixture.snapshotIDs() == ids)

        let repair = try fixture.kura(["repair", "snapshots", "--json"])
        #expect(repair.status == 0, "\(repair.stderr)")
        let report = try RepositoryFixture.json(repair)
        let repaired = try #require((report["repaired"] as? [[String: Any]])?.first)
        #expect(repaired["original"] as? String == ids[1])
        let newID = try #require(repaired["repaired"] as? String)
        #expect((report["unsaveable"] as? [[String: Any]])?.first?["snapshot"] as? String == ids[0])
        // Without --forget both originals stay.
        #expect(Set(try fixture.snapshotIDs()) == Set(ids + [newID]))

        let tagged = try fixture.kura(["snapshots", "--json"])
        let entries = try JSONSerialization.jsonObject(with: tagged.stdout) as? [[String: Any]] ?? []
        #expect(entries.first { $0["id"] as? String == newID }?["tags"] as? [String] == ["repaired"])
        let target = fixture.path("restored")
        let restored = try fixture.kura(["restore", newID, "--target", target])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: source + "/new.bin", andPath: target + source + "/new.bin"))
        #expect(FileManager.default.contentsEqual(atPath: source + "/sub/メモ.txt", andPath: target + source + "/sub/メモ.txt"))
        let old = try FileManager.default.attributesOfItem(atPath: target + source + "/old.bin")
        #expect(old[.size] as? Int == 0)

        let forget = try fixture.kura(["repair", "snapshots", "--forget"])
        #expect(forget.status == 0, "\(forget.stderr)")
        // Both originals are gone; what is left are repaired snapshots (a second repair of the same original makes
        // a second one, as restic does).
        let left = Set(try fixture.snapshotIDs())
        #expect(left.isDisjoint(with: ids) && left.contains(newID) && left.count == 2)
        #expect(try fixture.kura(["prune"]).status == 0)
        let check = try fixture.kura(["check", "--read-data"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func aChangedByteInConfigSaysConfigDamaged() throws {
        let fixture = try RepositoryFixture()
        let config = fixture.repo + "/config"
        let original = try String(contentsOfFile: config, encoding: .utf8)
        for (from, to) in [("\"pack_size\" : 16777216", "\"pack_size\" : 16777217"), ("\"id\" : \"", "\"id\" : \"f")] {
            var changed = original
            let range = try #require(changed.range(of: from))
            if from.hasPrefix("\"id\"") {
                let digit = range.upperBound
                changed.replaceSubrange(digit...digit, with: changed[digit] == "0" ? "1" : "0")
            } else {
                changed.replaceSubrange(range, with: to)
            }
            try changed.write(toFile: config, atomically: false, encoding: .utf8)
            let result = try fixture.kura(["snapshots"])
            #expect(result.status == 1, "\(from): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("config damaged"), "\(result.stderr)")
            #expect(!result.stderr.contains("wrong password"))
        }
        try original.write(toFile: config, atomically: false, encoding: .utf8)
        #expect(try fixture.kura(["snapshots"]).status == 0)
    }

    @Test func checkNamesASnapshotThatAHoldExpects() throws {
        let (s, ids) = try HoldMirrorTests.heldRepository()
        try FileManager.default.removeItem(atPath: s.fixture.repo + "/snapshots/" + ids[0])
        let check = try s.fixture.kura(["check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("snapshot \(ids[0].prefix(8)) is missing, but hold"), "\(check.stderr)")
    }
}

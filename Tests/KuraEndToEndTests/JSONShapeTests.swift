import Foundation
import Testing

/// Issue 15 item 5: scripts can trust `--json`. One shape per object across commands, one time precision,
/// no display strings as values, payloads as objects, and a JSON error object when a command fails.
@Suite struct JSONShapeTests {
    /// RFC 3339 in UTC with three fractional digits: what kura-json(5) promises for every time.
    static func isTime(_ text: String) -> Bool {
        text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil
    }

    static func object(_ result: KuraResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: result.stdout)
        return try #require(value as? [String: Any], "not one JSON object: \(result.output)", sourceLocation: sourceLocation)
    }

    static func list(_ result: KuraResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: result.stdout)
        return try #require(value as? [[String: Any]], "not a JSON list: \(result.output)", sourceLocation: sourceLocation)
    }

    /// The value as JSON text with sorted keys, to compare two decoded objects.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// Every (key path, value) pair under `value`, depth first.
    static func leaves(_ value: Any, path: String = "") -> [(path: String, key: String, value: Any)] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child in
                [(path: path + "." + key, key: key, value: child)] + leaves(child, path: path + "." + key)
            }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { index, child in leaves(child, path: path + "[\(index)]") }
        }
        return []
    }

    /// Keys that hold a time, by the naming kura-json(5) uses.
    static func isTimeKey(_ key: String) -> Bool {
        ["time", "created", "mtime", "ctime", "date", "snapshot_time", "retain_until"].contains(key) || key.hasSuffix("_at")
    }

    @Test func aSnapshotIsTheSameObjectInBackupSnapshotsCopyAndForget() throws {
        let source = try RepositoryFixture(name: "kura-json-src")
        let destination = try RepositoryFixture(name: "kura-json-dst")
        let tree = source.path("顧客")
        #expect(try Kura.shell("mkdir -p '\(tree)' && echo 'お客様' > '\(tree)/名簿.txt' && head -c 50000 /dev/urandom > '\(tree)/dump.bin'").status == 0)

        let backup = try source.kura(["backup", tree, "--tag", "nightly", "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let run = try Self.object(backup)
        let made = try #require(run["snapshot"] as? [String: Any], "\(run)")
        // The run's statistics sit beside the snapshot, as numbers.
        #expect(run["files"] as? Int == 2 && run["directories"] as? Int != nil && run["bytes_read"] as? Int == 50_000 + 10)
        #expect(run["duration_seconds"] is NSNumber && (run["unreadable"] as? [Any])?.isEmpty == true)
        #expect(run["dry_run"] == nil && run["snapshot_id"] == nil)

        let listed = try Self.list(try source.kura(["snapshots", "--json"]))
        #expect(listed.count == 1)
        let copy = try destination.kura(["copy", "--from-repo", source.repo, "--json"], environment: ["KURA_FROM_PASSWORD": source.password])
        #expect(copy.status == 0, "\(copy.stderr)")
        let copies = try #require(try Self.object(copy)["copies"] as? [[String: Any]])
        #expect(copies.count == 1)
        let copied = try #require(copies.first?["snapshot"] as? [String: Any])
        let forget = try source.kura(["forget", made["id"] as? String ?? "", "--dry-run", "--json"])
        #expect(forget.status == 0, "\(forget.stderr)")
        let forgotten = try #require((try Self.object(forget)["removed"] as? [[String: Any]])?.first)

        // Identical keys and identical values, key for key, for the same snapshot.
        let expected = try Self.canonical(made)
        for (name, other) in [("snapshots", listed[0]), ("copy", copied), ("forget", forgotten)] {
            #expect(Set(other.keys) == Set(made.keys), "\(name): \(other.keys.sorted()) vs \(made.keys.sorted())")
            #expect(try Self.canonical(other) == expected, "\(name)")
        }
        #expect(made["tags"] as? [String] == ["nightly"] && made["paths"] as? [String] == [tree])
        #expect((made["summary"] as? [String: Any])?["files"] as? Int == 2)
        #expect(made["copied_from"] is NSNull && made["future_dated"] as? Bool == false)

        // The copy in the destination is a snapshot object too, and `snapshots` there prints the same one.
        let copyObject = try #require(copies.first?["copy"] as? [String: Any])
        #expect(Set(copyObject.keys) == Set(made.keys))
        let origin = copyObject["copied_from"] as? [String: Any]
        #expect(origin?["snapshot_id"] as? String == made["id"] as? String)
        let inDestination = try Self.list(try destination.kura(["snapshots", "--json"]))
        #expect(try Self.canonical(inDestination.first ?? [:]) == (try Self.canonical(copyObject)))
        #expect(copyObject["time"] as? String == made["time"] as? String)

        // One time precision: a snapshot's time with its milliseconds, in the form the catalog's times take too.
        let time = try #require(made["time"] as? String)
        #expect(Self.isTime(time), "\(time)")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(parser.date(from: time) != nil)

        // A dry run makes no snapshot: the object is null, the run's statistics are still there.
        let dry = try Self.object(try source.kura(["backup", tree, "--dry-run", "--json"]))
        #expect(dry["snapshot"] is NSNull && dry["files"] as? Int == 2, "\(dry)")
    }

    @Test func noDisplayStringsAndOneTimeFormatAcrossCommands() throws {
        let s = try RetentionSetup()
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("dump\n".utf8))
        let id = try #require(try s.fixture.snapshotIDs().first)
        try s.ok(["hold", "add", String(id.prefix(10)), "--reason", "訴訟 2026-17"], as: "alice")
        try s.ok(["drill", "latest", "--quiet"])
        let f = s.catalog
        // A medium with nothing optional recorded: its barcode, make and model are unknown, not "none".
        try f.ok(["media", "add", "T1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "move", "T1", "--to", "offsite:VAULT", "--via", "ヤマト運輸", "--as", "alice"])

        var outputs: [(String, Any)] = []
        for arguments in [["snapshots", "--json"], ["key", "list", "--json"], ["stats", "--json"], ["check", "--json"],
                          ["media", "list", "--json"], ["media", "show", "T1", "--json"], ["report", "--json"],
                          ["audit", "log", "--json"], ["drill", "list", "--json"], ["hold", "list", "--json"],
                          ["custodian", "list", "--json"], ["version", "--json"]] {
            let result = try s.kura(arguments)
            // report exits 1 for the medium in transit (not overdue) only when something is stale; it may be 0 or 1.
            #expect(result.status == 0 || (arguments[0] == "report" && result.status == 1), "\(arguments): \(result.stderr)")
            outputs.append((arguments.joined(separator: " "), try JSONSerialization.jsonObject(with: result.stdout)))
        }

        let displayWords: Set<String> = ["none", "not recorded", "never", "unknown", "-", "n/a", "none recorded", "?"]
        var times = 0
        for (command, output) in outputs {
            for leaf in Self.leaves(output) {
                if let text = leaf.value as? String {
                    #expect(!displayWords.contains(text.lowercased()), "\(command) \(leaf.path) = \(text)")
                    // A payload printed as an escaped JSON string instead of an object.
                    #expect(!(text.hasPrefix("{") && text.hasSuffix("}")), "\(command) \(leaf.path) holds JSON as a string")
                    if Self.isTimeKey(leaf.key) {
                        times += 1
                        #expect(Self.isTime(text), "\(command) \(leaf.path) = \(text)")
                    }
                }
                // Durations are seconds as numbers; no key holds milliseconds or a duration as text.
                #expect(!leaf.key.hasSuffix("_ms") && leaf.key != "restore_ms", "\(command) \(leaf.path)")
                if leaf.key.hasSuffix("_seconds") { #expect(leaf.value is NSNumber || leaf.value is NSNull, "\(command) \(leaf.path)") }
                // Maps keyed by data (a location, a state, a library) are not field names.
                let keyedByData = ["media_by_location", "media_by_state", "libraries", "formats"].contains { leaf.path.contains(".\($0).") }
                #expect(keyedByData || (leaf.key == leaf.key.lowercased() && !leaf.key.contains("-")), "\(command) \(leaf.path) is not snake_case")
            }
        }
        #expect(times > 15, "only \(times) times seen")

        // Specific objects: the event's payload is an object; the drill's duration is in seconds; the medium has nulls.
        let events = try #require(outputs.first { $0.0 == "audit log --json" }?.1 as? [[String: Any]])
        #expect(!events.isEmpty && events.allSatisfy { $0["payload"] is [String: Any] })
        let added = try #require(events.first { $0["subject"] as? String == "T1" })
        #expect((added["payload"] as? [String: Any])?["media_type"] as? String == "LTO-9")
        let hold = try #require(events.first { ($0["kind"] as? String)?.hasPrefix("snapshot.hold") == true })
        #expect((hold["payload"] as? [String: Any])?["snapshot_id"] as? String == id)
        let drills = try #require(outputs.first { $0.0 == "drill list --json" }?.1 as? [[String: Any]])
        #expect(drills.count == 1 && drills[0]["duration_seconds"] is NSNumber && drills[0]["result"] as? String == "passed")
        let media = try #require(outputs.first { $0.0 == "media list --json" }?.1 as? [[String: Any]])
        #expect(media.first?["barcode"] is NSNull && media.first?["make"] is NSNull && media.first?["destination"] as? String == "offsite:VAULT")
        let report = try #require(outputs.first { $0.0 == "report --json" }?.1 as? [String: Any])
        #expect(report["max_transit_age_seconds"] as? Int == 86_400 && report["max_transit_age"] == nil)
        let show = try #require(outputs.first { $0.0 == "media show T1 --json" }?.1 as? [String: Any])
        let history = try #require(show["history"] as? [[String: Any]])
        #expect(history.count == 2 && history.allSatisfy { $0["payload"] is [String: Any] })
        // The event a signing command prints is the same object as in the audit log.
        let moved = try Self.object(try f.ok(["media", "receive", "T1", "--as", "bob", "--json"]))
        let event = try #require(moved["event"] as? [String: Any])
        let logged = try Self.list(try f.ok(["audit", "log", "--json"])).last ?? [:]
        #expect(try Self.canonical(event) == (try Self.canonical(logged)))
        #expect((moved["medium"] as? [String: Any])?["location"] as? String == "offsite:VAULT")
    }

    /// `{"error":{"code":N,"message":"..."}}` and nothing else on stdout, N being the exit status.
    static func expectError(_ result: KuraResult, status: Int32, mentions words: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == status, "\(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let object = try object(result, sourceLocation: sourceLocation)
        #expect(Array(object.keys) == ["error"], "\(object)", sourceLocation: sourceLocation)
        let error = try #require(object["error"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(Set(error.keys) == ["code", "message"], sourceLocation: sourceLocation)
        #expect(error["code"] as? Int == Int(status), "\(error)", sourceLocation: sourceLocation)
        let message = try #require(error["message"] as? String, sourceLocation: sourceLocation)
        #expect(!message.isEmpty && !message.contains("\n"), sourceLocation: sourceLocation)
        for word in words { #expect(message.contains(word), "\(message) lacks \(word)", sourceLocation: sourceLocation) }
        // The one-line message still goes to stderr for people and logs.
        #expect(result.stderr.contains(message), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aFailingCommandWithJSONPrintsOneErrorObjectWithItsExitStatus() throws {
        let fixture = try RepositoryFixture(name: "kura-json-errors")
        try Self.expectError(try fixture.kura(["snapshots", "--json"], environment: ["KURA_PASSWORD": "not the password"]),
                             status: 12, mentions: ["password"])
        let missing = fixture.path("nothing-here")
        try Self.expectError(try fixture.kura(["snapshots", "--json"], environment: ["KURA_REPO": missing]), status: 10, mentions: [missing])
        #expect(!FileManager.default.fileExists(atPath: missing))
        // Usage errors: from the argument parser, and from a command's own validation.
        try Self.expectError(try fixture.kura(["snapshots", "--json", "--no-such-option"]), status: 64, mentions: ["--no-such-option"])
        try Self.expectError(try fixture.kura(["forget", "--json"]), status: 64, mentions: ["policy"])
        try Self.expectError(try fixture.kura(["report", "--format", "json", "--max-backup-age", "soon"]), status: 64, mentions: ["soon"])

        // A catalog rule (exit 20): who sent a medium cannot also receive it; nothing was signed.
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "T1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "move", "T1", "--to", "offsite:vault", "--via", "courier", "--as", "alice"])
        let before = try Self.list(try f.ok(["audit", "log", "--json"])).count
        let refused = try f.kura(["media", "receive", "T1", "--as", "alice", "--json"])
        try Self.expectError(refused, status: 20, mentions: ["two-person-custody"])
        #expect(try Self.list(try f.ok(["audit", "log", "--json"])).count == before)

        // An inventory that finds a stranger prints the inventory and exits 1: still one document, not two.
        let scanned = f.directory.appending("scan.txt")
        try "UNKNOWN99\n".write(toFile: scanned, atomically: true, encoding: .utf8)
        let inventory = try f.kura(["media", "inventory", "--location", "onsite:main", "--scanned", scanned, "--as", "bob", "--json"])
        #expect(inventory.status == 1)
        #expect(try Self.object(inventory)["unexpected"] as? [String] == ["UNKNOWN99"])

        // Without --json, stdout stays empty on failure; with it, a result printed before a non-zero exit is not replaced.
        let plain = try fixture.kura(["snapshots"], environment: ["KURA_PASSWORD": "not the password"])
        #expect(plain.status == 12 && plain.stdout.isEmpty)
        let partial = try fixture.kura(["backup", fixture.path("absent"), "--json"])
        #expect(partial.status == 1 || partial.status == 3)
        if partial.status == 1 { try Self.expectError(partial, status: 1, mentions: []) }
    }
}

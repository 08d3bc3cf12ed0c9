import Foundation
import Testing

/// A repository and a catalog (with custodians alice and bob) used together.
final class RetentionSetup {
    let fixture: RepositoryFixture
    let catalog: CatalogFixture

    init(custodians: [String] = ["alice", "bob"]) throws {
        fixture = try RepositoryFixture(name: "kura-retention")
        catalog = try CatalogFixture()
        if !custodians.isEmpty { try catalog.addCustodians(custodians) }
    }

    /// Runs kura with KURA_CATALOG set; with `custodian`, adds `--as` and that custodian's passphrase.
    @discardableResult
    func kura(_ arguments: [String], as custodian: String? = nil, environment: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
        var extra = ["KURA_CATALOG": catalog.catalogPath]
        if let custodian { extra["KURA_CUSTODIAN_PASSWORD"] = CatalogFixture.passphrase(of: custodian) }
        return try fixture.kura(arguments + (custodian.map { ["--as", $0] } ?? []), environment: extra.merging(environment) { $1 },
                                stdin: stdin)
    }

    @discardableResult
    func ok(_ arguments: [String], as custodian: String? = nil, stdin: Data? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) throws -> KuraResult {
        let result = try kura(arguments, as: custodian, stdin: stdin)
        #expect(result.status == 0, "kura \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func json(_ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: try ok(arguments).stdout)
    }
}

/// Issue 5 through the built binary: forget with holds from the catalog (acceptance 1 end to end; the 400-snapshot
/// rule table is ForgetPolicyTests), and prune (acceptance 2), including SIGKILL at ten different moments.
@Suite struct RetentionTests {
    @Test func forgetKeepsWhatThePolicySaysAndEveryHeldSnapshot() throws {
        let s = try RetentionSetup()
        for day in 0..<6 {
            try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("dump of day \(day)\n".utf8))
        }
        let ids = try s.fixture.snapshotIDs()
        #expect(ids.count == 6)

        let noPolicy = try s.kura(["forget"])
        #expect(noPolicy.status == 64 && noPolicy.stderr.contains("no policy"))

        let held = try s.ok(["hold", "add", String(ids[1].prefix(10)), "--reason", "litigation 2025-17"], as: "alice")
        #expect(held.output.contains("hold") && held.output.contains(String(ids[1].prefix(8))))
        let list = try s.json(["hold", "list", "--json"]) as? [[String: Any]] ?? []
        #expect(list.map { $0["snapshot_id"] as? String } == [ids[1]])

        let dry = try s.ok(["forget", "--keep-last", "2", "--dry-run", "--json"])
        #expect(try s.fixture.snapshotIDs() == ids)
        let plan = try JSONSerialization.jsonObject(with: dry.stdout) as? [String: Any] ?? [:]
        #expect((plan["removed"] as? [[String: Any]])?.count == 3 && plan["dry_run"] as? Bool == true)

        let forgot = try s.ok(["forget", "--keep-last", "2"])
        #expect(forgot.output.contains("on hold: hold") && forgot.output.contains("litigation 2025-17"))
        #expect(try s.fixture.snapshotIDs() == [ids[1], ids[4], ids[5]])

        // Releasing takes a second custodian; then the snapshot can go.
        let sameHand = try s.kura(["hold", "remove", String(ids[1].prefix(8))], as: "alice")
        #expect(sameHand.status == 20 && sameHand.stderr.contains("two-person-hold-release"))
        try s.ok(["hold", "remove", String(ids[1].prefix(8))], as: "bob")
        try s.ok(["forget", "--keep-last", "2"])
        #expect(try s.fixture.snapshotIDs() == [ids[4], ids[5]])
        #expect(try s.kura(["audit", "verify"]).status == 0)

        // A policy that keeps nothing of a group is refused.
        let empty = try s.kura(["forget", "--keep-tag", "never-used"])
        #expect(empty.status == 64 && empty.stderr.contains("refusing to forget every snapshot"))
        #expect(try s.fixture.snapshotIDs() == [ids[4], ids[5]])
    }

    @Test func forgetWithoutACatalogFileHasNoHolds() throws {
        let fixture = try RepositoryFixture(name: "kura-forget")
        for n in 0..<3 {
            #expect(try fixture.kura(["backup", "--stdin", "-q"], stdin: Data("\(n)".utf8)).status == 0)
        }
        let catalog = fixture.path("no-such-dir/catalog.db")
        let result = try fixture.kura(["forget", "--keep-last", "1", "--catalog", catalog])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.snapshotIDs().count == 1)
        #expect(!FileManager.default.fileExists(atPath: catalog))
    }

    // MARK: Prune

    /// A repository with 1 MiB packs and ten backups of one directory where day d holds u_d (200 kB, one chunk),
    /// v_d (700 kB), both new that day, and u_{d-1} again; odd days are tagged `keep`. Returns, for each snapshot,
    /// the source path and a directory holding a copy of what it backed up.
    static func makePackedRepository(_ fixture: RepositoryFixture) throws -> (source: String, days: [String: String]) {
        // The fixture was made with `init --pack-size 1MiB` (config is checked against its key slots' checksum).
        let text = try String(contentsOfFile: fixture.repo + "/config", encoding: .utf8)
        #expect(text.contains("\"pack_size\" : 1048576"))
        let source = fixture.path("src")
        var days: [String: String] = [:]
        var previous: Data?
        for day in 0..<10 {
            let copy = fixture.path("expected/day\(day)")
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            let u = Data((0..<200_000).map { _ in UInt8.random(in: 0...255) })
            try u.write(to: URL(fileURLWithPath: copy + "/u"))
            try Data((0..<700_000).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: copy + "/v"))
            if let previous { try previous.write(to: URL(fileURLWithPath: copy + "/u-before")) }
            previous = u
            try? FileManager.default.removeItem(atPath: source)
            try FileManager.default.copyItem(atPath: copy, toPath: source)
            let made = try fixture.kura(["backup", source, "--json", "--no-cache"] + (day % 2 == 1 ? ["--tag", "keep"] : []))
            #expect(made.status == 0, "\(made.stderr)")
            days[(try RepositoryFixture.json(made)["snapshot"] as? [String: Any])?["id"] as? String ?? ""] = copy
        }
        return (source, days)
    }

    /// Restores `snapshot` and compares it with the copy of what it backed up.
    static func expectRestores(_ fixture: RepositoryFixture, _ snapshot: String, source: String, copy: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let target = fixture.path("restore-\(UUID().uuidString.prefix(6))")
        let restored = try fixture.kura(["restore", snapshot, "--target", target, "--quiet"])
        #expect(restored.status == 0, "restore \(snapshot.prefix(8)): \(restored.stderr)", sourceLocation: sourceLocation)
        let names = try FileManager.default.contentsOfDirectory(atPath: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target + source).sorted() == names.sorted(), sourceLocation: sourceLocation)
        for name in names {
            #expect(FileManager.default.contents(atPath: target + source + "/" + name) == FileManager.default.contents(atPath: copy + "/" + name),
                    "snapshot \(snapshot.prefix(8)) \(name)", sourceLocation: sourceLocation)
        }
        try FileManager.default.removeItem(atPath: target)
    }

    @Test func pruneAfterForgettingHalfShrinksAndEveryKeptSnapshotRestores() throws {
        let fixture = try RepositoryFixture(name: "kura-prune", initArguments: ["--pack-size", "1MiB"])
        let (source, days) = try Self.makePackedRepository(fixture)
        let ids = try fixture.snapshotIDs()
        #expect(ids.count == 10)
        let before = try fixture.repositorySize()

        // Forget the even days (untagged): their v is used by nothing any more, their u by the next day.
        let result = try fixture.kura(["forget", "--keep-tag", "keep", "--prune", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try RepositoryFixture.json(result)
        let kept = try fixture.snapshotIDs()
        #expect((output["removed"] as? [[String: Any]])?.count == 5 && kept == ids.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        let prune = output["prune"] as? [String: Any] ?? [:]
        #expect(prune["packs_repacked"] as? Int == 5 && prune["packs_deleted"] as? Int == 0)
        let after = try fixture.repositorySize()
        // Five unused v of 700 kB each are gone.
        #expect(before - after > 3_400_000, "\(before) -> \(after)")
        #expect(Int64(before - after) >= (prune["bytes_before"] as? Int64 ?? 0) - (prune["bytes_after"] as? Int64 ?? 0) - 20_000)

        let check = try fixture.kura(["check", "--read-data"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stderr.contains("warning"))
        for id in kept { try Self.expectRestores(fixture, id, source: source, copy: days[id]!) }
    }

    /// Bytes of the repository's files other than temporary ones.
    static func sizeWithoutTemporaryFiles(_ path: String) throws -> Int {
        var total = 0
        let walker = FileManager.default.enumerator(atPath: path)!
        while let name = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular && !name.contains(".tmp-") {
                total += walker.fileAttributes?[.size] as? Int ?? 0
            }
        }
        return total
    }

    @Test func pruneKilledAtTenDifferentMomentsNeverLeavesARepositoryThatFailsCheck() throws {
        let fixture = try RepositoryFixture(name: "kura-prune-kill", initArguments: ["--pack-size", "1MiB"])
        let (source, days) = try Self.makePackedRepository(fixture)
        #expect(try fixture.kura(["forget", "--keep-tag", "keep", "--quiet"]).status == 0)
        let kept = try fixture.snapshotIDs()
        #expect(kept.count == 5)
        let pristine = fixture.path("pristine")
        #expect(try Kura.shell("cp -a '\(fixture.repo)' '\(pristine)'").status == 0)

        // A full run that names its steps (0: never killed) tells where the moments are.
        let traced = try fixture.kura(["prune"], environment: ["KURA_TEST_KILL_AT": "0"])
        #expect(traced.status == 0, "\(traced.stderr)")
        let steps = traced.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "kura: test: prune step ") else { return nil }
            return String(line[range.upperBound...].drop { $0 != ":" }.dropFirst(2))
        }
        let finalSize = try Self.sizeWithoutTemporaryFiles(fixture.repo)
        #expect(steps.count >= 20, "\(steps)")
        // Ten moments: the first copy into a new pack (the new pack half written), the new pack written, the new
        // index written, the first and a middle pack deleted, the first and a middle index file deleted, the last
        // deletion, and the start and the "found used blobs" step before anything changes.
        func first(_ prefix: String) -> Int { (steps.firstIndex { $0.hasPrefix(prefix) } ?? 0) + 1 }
        let packDeletions = steps.indices.filter { steps[$0].hasPrefix("deleted pack") }.map { $0 + 1 }
        let indexDeletions = steps.indices.filter { steps[$0].hasPrefix("deleted index file") }.map { $0 + 1 }
        let moments = [1, first("found"), first("copied"), first("wrote new pack"), first("wrote index file"),
                       packDeletions.first ?? 0, packDeletions[packDeletions.count / 2], indexDeletions.first ?? 0,
                       indexDeletions[indexDeletions.count / 2], steps.count - 1]
        #expect(Set(moments).count == 10 && !moments.contains(0), "\(moments) of \(steps)")

        for (n, moment) in moments.enumerated() {
            try? FileManager.default.removeItem(atPath: fixture.repo)
            #expect(try Kura.shell("cp -a '\(pristine)' '\(fixture.repo)'").status == 0)
            let killed = try fixture.kura(["prune"], environment: ["KURA_TEST_KILL_AT": String(moment)])
            #expect(killed.status == 128 + 9, "moment \(moment) (\(steps[moment - 1])): \(killed.stderr)")
            let what = steps[moment - 1].split(separator: " ").prefix(2).joined(separator: " ")
            #expect(killed.stderr.split(separator: "\n").last?.hasPrefix("kura: test: prune step \(moment): \(what)") == true)
            let check = try fixture.kura(["check", "--read-data"])
            #expect(check.status == 0, "after a kill at \(moment) (\(steps[moment - 1])): \(check.stderr)")
            // check --read-data has read every blob; one kept snapshot (a different one each time) is restored too.
            let id = kept[n % kept.count]
            try Self.expectRestores(fixture, id, source: source, copy: days[id]!)
            let finish = try fixture.kura(["prune", "--quiet"])
            #expect(finish.status == 0, "\(finish.stderr)")
            #expect(try fixture.kura(["check"]).status == 0)
            // A pack half written when prune was killed stays as data/.tmp-* until it is a day old.
            #expect(try Self.sizeWithoutTemporaryFiles(fixture.repo) <= finalSize + 4096, "after finishing the prune killed at \(moment)")
        }
    }
}

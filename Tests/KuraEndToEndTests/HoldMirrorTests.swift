import Foundation
import Testing

/// Issue 12 item 5, "a hold holds everywhere": holds are mirrored into the repository (`holds/`), so forget and
/// prune honour them without the catalog that placed them; releasing still takes a second custodian.
@Suite struct HoldMirrorTests {
    /// Three backups and a hold on the oldest, placed by alice.
    static func heldRepository() throws -> (RetentionSetup, [String]) {
        let s = try RetentionSetup()
        for day in 0..<3 {
            try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("dump of day \(day)\n".utf8))
        }
        let ids = try s.fixture.snapshotIDs()
        let held = try s.ok(["hold", "add", String(ids[0].prefix(10)), "--reason", "訴訟 2026-17"], as: "alice")
        #expect(held.output.contains("mirrored into the repository as holds/"))
        #expect(try Self.mirrors(s).count == 1)
        return (s, ids)
    }

    static func mirrors(_ s: RetentionSetup) throws -> [String] {
        let directory = s.fixture.repo + "/holds"
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.count == 64 }
    }

    /// The reproduction: `KURA_CATALOG= kura forget --keep-last 1` (or --catalog naming another file) forgot a held
    /// snapshot without a word. Now the repository's mirror keeps it, and the output says where the hold came from.
    @Test func forgetWithoutTheCatalogKeepsAHeldSnapshot() throws {
        let (s, ids) = try Self.heldRepository()
        let elsewhere = ["KURA_CATALOG": "", "XDG_DATA_HOME": s.fixture.path("xdg")]
        let noCatalog = try s.fixture.kura(["forget", "--keep-last", "1"], environment: elsewhere)
        #expect(noCatalog.status == 0, "\(noCatalog.stderr)")
        #expect(noCatalog.output.contains("on hold: hold") && noCatalog.output.contains("訴訟 2026-17")
            && noCatalog.output.contains("(from the repository)"), "\(noCatalog.output)")
        #expect(try s.fixture.snapshotIDs() == [ids[0], ids[2]])

        let other = try s.fixture.kura(["forget", "--keep-last", "1", "--dry-run", "--json", "--catalog", s.fixture.path("other.db")])
        #expect(other.status == 0)
        let plan = try RepositoryFixture.json(other)
        let kept = ((plan["groups"] as? [[String: Any]])?.first?["keep"] as? [[String: Any]]) ?? []
        let held = kept.first { ($0["snapshot"] as? [String: Any])?["id"] as? String == ids[0] }
        let holds = held?["holds"] as? [[String: Any]] ?? []
        #expect(holds.count == 1 && holds.first?["from"] as? [String] == ["repository"] && holds.first?["placed_by"] as? String == "alice")

        // With the catalog, the same hold is found in both places.
        let both = try s.kura(["forget", "--keep-last", "1", "--dry-run", "--json"])
        let bothPlan = try RepositoryFixture.json(both)
        let bothKept = ((bothPlan["groups"] as? [[String: Any]])?.first?["keep"] as? [[String: Any]]) ?? []
        let bothHolds = bothKept.first { ($0["snapshot"] as? [String: Any])?["id"] as? String == ids[0] }?["holds"] as? [[String: Any]] ?? []
        #expect(bothHolds.first?["from"] as? [String] == ["catalog", "repository"])
    }

    /// Prune honours holds too: a held snapshot whose file was deleted by hand keeps its data (exit 20).
    @Test func pruneRefusesWhileAHeldSnapshotIsMissing() throws {
        let (s, ids) = try Self.heldRepository()
        let snapshotFile = s.fixture.repo + "/snapshots/" + ids[0]
        let saved = try Data(contentsOf: URL(fileURLWithPath: snapshotFile))
        try FileManager.default.removeItem(atPath: snapshotFile)
        let sizeBefore = try s.fixture.repositorySize()
        let refused = try s.fixture.kura(["prune", "--max-unused", "0"], environment: ["KURA_CATALOG": "", "XDG_DATA_HOME": s.fixture.path("xdg")])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains(String(ids[0].prefix(8))) && refused.stderr.contains("on hold"), "\(refused.stderr)")
        #expect(try s.fixture.repositorySize() == sizeBefore)
        try saved.write(to: URL(fileURLWithPath: snapshotFile))
        #expect(try s.kura(["prune"]).status == 0)
        #expect(try s.fixture.kura(["restore", ids[0], "--target", s.fixture.path("restored")]).status == 0)
    }

    /// Releasing needs a second custodian in the catalog; with the repository it removes the mirror, and a
    /// write-only key can remove nothing.
    @Test func releaseRemovesTheMirrorButNotWithAWriteOnlyKey() throws {
        let (s, ids) = try Self.heldRepository()
        #expect(try s.fixture.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": "writer"]).status == 0)

        let writeOnly = try s.kura(["hold", "remove", String(ids[0].prefix(8))], as: "bob", environment: ["KURA_PASSWORD": "writer"])
        #expect(writeOnly.status == 12 && writeOnly.stderr.contains("write-only"), "\(writeOnly.stderr)")
        #expect(try Self.mirrors(s).count == 1)
        let active = try s.json(["hold", "list", "--json"]) as? [[String: Any]] ?? []
        #expect(active.count == 1)

        let sameHand = try s.kura(["hold", "remove", String(ids[0].prefix(8))], as: "alice")
        #expect(sameHand.status == 20 && sameHand.stderr.contains("two-person-hold-release"))
        #expect(try Self.mirrors(s).count == 1)

        let released = try s.ok(["hold", "remove", String(ids[0].prefix(8))], as: "bob")
        #expect(released.output.contains("removed its mirror from the repository"))
        #expect(try Self.mirrors(s).isEmpty)
        let forgot = try s.fixture.kura(["forget", "--keep-last", "1"], environment: ["KURA_CATALOG": "", "XDG_DATA_HOME": s.fixture.path("xdg")])
        #expect(forgot.status == 0)
        #expect(try s.fixture.snapshotIDs() == [ids[2]])
    }

    /// Released without the repository: the mirror stays (and holds without the catalog) until forget or prune runs
    /// with the catalog, which drops it; a catalog hold placed before mirrors existed gets one.
    @Test func forgetWithTheCatalogReconcilesMirrors() throws {
        let (s, ids) = try Self.heldRepository()
        let released = try s.kura(["hold", "remove", String(ids[0].prefix(8))], as: "bob", environment: ["KURA_REPO": ""])
        #expect(released.status == 0 && released.output.contains("the next time kura forget or prune runs"), "\(released.stderr)")
        let stale = try Self.mirrors(s)
        #expect(stale.count == 1)
        let dry = try s.kura(["forget", "--keep-last", "1", "--dry-run"])
        #expect(dry.status == 0 && !dry.output.contains("on hold") && dry.output.contains("would forget 2"))
        #expect(try Self.mirrors(s).count == 1)

        // A second hold, its mirror deleted (as if placed by an older kura): forget mirrors it again.
        try s.ok(["hold", "add", String(ids[1].prefix(10)), "--reason", "audit"], as: "alice")
        for name in try Self.mirrors(s) where !stale.contains(name) {
            try FileManager.default.removeItem(atPath: s.fixture.repo + "/holds/" + name)
        }
        let forgot = try s.ok(["forget", "--keep-last", "1", "--json"])
        let plan = try RepositoryFixture.json(forgot)
        #expect(plan["hold_mirrors_written"] as? Int == 1 && plan["hold_mirrors_removed"] as? Int == 1)
        #expect(try s.fixture.snapshotIDs() == [ids[1], ids[2]])
        let now = try Self.mirrors(s)
        #expect(now.count == 1 && !stale.contains(now[0]))
        let noCatalog = try s.fixture.kura(["forget", "--keep-last", "1"], environment: ["KURA_CATALOG": "", "XDG_DATA_HOME": s.fixture.path("xdg")])
        #expect(noCatalog.status == 0 && noCatalog.output.contains("audit (from the repository)"))
        #expect(try s.fixture.snapshotIDs() == [ids[1], ids[2]])
    }
}

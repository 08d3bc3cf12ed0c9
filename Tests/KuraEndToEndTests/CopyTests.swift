import Foundation
import Testing

/// Issue 14 item 4: `kura copy` between repositories: only missing chunks are sent, a snapshot copied once is
/// skipped, an interrupted copy resumes without sending again what arrived, and the catalog records each copy.
@Suite("kura copy")
struct CopyTests {
    /// A source repository with two snapshots of a tree, and an empty destination with another password.
    final class Pair {
        let source: RepositoryFixture
        let destination: RepositoryFixture
        let tree: String

        init(sourceBytes: Int = 3_000_000, destinationInit: [String] = []) throws {
            source = try RepositoryFixture(name: "kura-copy-src")
            destination = try RepositoryFixture(name: "kura-copy-dst", initArguments: destinationInit)
            tree = source.path("crm")
            #expect(try Kura.shell("mkdir -p '\(tree)/sub' && head -c \(sourceBytes) /dev/urandom > '\(tree)/dump.bin' && echo 'お客様' > '\(tree)/sub/名簿.txt'").status == 0)
        }

        /// `kura copy` into the destination from the source, with the source's password in KURA_FROM_PASSWORD.
        @discardableResult
        func copy(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> KuraResult {
            try destination.kura(["copy", "--from-repo", source.repo] + arguments,
                                 environment: ["KURA_FROM_PASSWORD": source.password].merging(environment) { $1 })
        }
    }

    @Test("copies every snapshot, skips them the second time, and the copies restore byte for byte")
    func copyAllThenSkip() throws {
        let pair = try Pair()
        #expect(try pair.source.kura(["backup", pair.tree, "--tag", "nightly"]).status == 0)
        #expect(try Kura.shell("echo changed >> '\(pair.tree)/sub/名簿.txt'").status == 0)
        #expect(try pair.source.kura(["backup", pair.tree]).status == 0)

        let first = try pair.copy(["--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try RepositoryFixture.json(first)
        let items = summary["copies"] as? [[String: Any]] ?? []
        #expect(items.count == 2 && items.allSatisfy { $0["skipped"] as? Bool == false })
        // The second snapshot shares the 3 MB file with the first: only the changed small file and trees are sent.
        let sent = items.compactMap { $0["bytes_stored"] as? Int }
        #expect(sent.count == 2 && sent[0] > 2_900_000 && sent[1] < 100_000, "\(sent)")

        let second = try pair.copy(["--json"])
        #expect(second.status == 0)
        let again = (try RepositoryFixture.json(second))["copies"] as? [[String: Any]] ?? []
        #expect(again.count == 2 && again.allSatisfy { $0["skipped"] as? Bool == true && $0["copy"] is NSNull })
        #expect(try pair.destination.snapshotIDs().count == 2)

        #expect(try pair.destination.kura(["check", "--read-data"]).status == 0)
        let target = pair.destination.path("restored")
        let restore = try pair.destination.kura(["restore", "latest", "--target", target])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Kura.shell("diff -r '\(pair.tree)' '\(target)\(pair.tree)'").status == 0)
        // The copy keeps the original's time, host, paths and tags.
        let listed = try pair.destination.kura(["snapshots", "--json"])
        #expect(listed.output.contains("nightly"))
    }

    @Test("only the named or filtered snapshots are copied; a copy of a copy is recognised")
    func selectionAndCopyOfACopy() throws {
        let pair = try Pair(sourceBytes: 100_000)
        #expect(try pair.source.kura(["backup", pair.tree, "--tag", "weekly,db"]).status == 0)
        #expect(try pair.source.kura(["backup", pair.tree, "--host", "other"]).status == 0)
        let ids = try pair.source.snapshotIDs()

        #expect(try pair.copy(["--tag", "weekly,db"]).status == 0)
        #expect(try pair.destination.snapshotIDs().count == 1)
        #expect(try pair.copy([String(ids[1].prefix(8))]).status == 0)
        #expect(try pair.destination.snapshotIDs().count == 2)
        let both = try pair.copy(["--host", "other"])
        #expect(both.status == 0 && both.output.contains("already in the destination"), "\(both.output)")

        // A third repository that already received the originals skips copies of them made elsewhere.
        let third = try RepositoryFixture(name: "kura-copy-third")
        #expect(try third.kura(["copy", "--from-repo", pair.source.repo], environment: ["KURA_FROM_PASSWORD": pair.source.password]).status == 0)
        let fromCopy = try third.kura(["copy", "--from-repo", pair.destination.repo, "--json"],
                                      environment: ["KURA_FROM_PASSWORD": pair.destination.password])
        #expect(fromCopy.status == 0, "\(fromCopy.stderr)")
        let items = (try RepositoryFixture.json(fromCopy))["copies"] as? [[String: Any]] ?? []
        #expect(items.count == 2 && items.allSatisfy { $0["skipped"] as? Bool == true })
        #expect(try third.snapshotIDs().count == 2)

        let both2 = try pair.copy(["latest", "--tag", "x"])
        #expect(both2.status == 64)
    }

    @Test("a killed copy resumes without sending again the packs that arrived")
    func killedCopyResumes() throws {
        let pair = try Pair(sourceBytes: 40_000_000, destinationInit: ["--pack-size", "1MiB"])
        #expect(try pair.source.kura(["backup", pair.tree]).status == 0)
        // Killed once the destination has its first index files (written every 4 packs of 1 MiB).
        let script = """
        '\(Kura.executable.path)' copy --from-repo '\(pair.source.repo)' -q &
        k=$!
        for i in $(seq 1 600); do n=$(ls '\(pair.destination.repo)/index' | wc -l); [ "$n" -ge 2 ] && break; sleep 0.02; done
        kill -KILL $k
        wait $k
        echo "status=$?"
        """
        let killed = try Kura.shell(script, environment: pair.destination.environment.merging(["KURA_FROM_PASSWORD": pair.source.password]) { $1 })
        #expect(killed.output.contains("status=137"), "\(killed.output) \(killed.stderr)")
        #expect(try pair.destination.snapshotIDs().isEmpty)

        #expect(try pair.destination.kura(["unlock"]).status == 0)
        let resumed = try pair.copy(["--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let items = (try RepositoryFixture.json(resumed))["copies"] as? [[String: Any]] ?? []
        let sent = items.first?["bytes_stored"] as? Int ?? 0
        // At least the 8 MiB of packs that two index files cover arrived before the kill and are not sent again.
        #expect(sent > 0 && sent < 40_000_000 - 7_000_000, "sent \(sent)")
        #expect(try pair.destination.kura(["check", "--read-data"]).status == 0)
        let target = pair.destination.path("restored")
        #expect(try pair.destination.kura(["restore", "latest", "--target", target]).status == 0)
        #expect(try Kura.shell("cmp '\(pair.tree)/dump.bin' '\(target)\(pair.tree)/dump.bin'").status == 0)
    }

    @Test("wrong source password, a write-only destination key and copying a repository onto itself are refused")
    func refusals() throws {
        let pair = try Pair(sourceBytes: 10_000)
        #expect(try pair.source.kura(["backup", pair.tree]).status == 0)
        let wrong = try pair.copy(environment: ["KURA_FROM_PASSWORD": "not it"])
        #expect(wrong.status == 12, "\(wrong.stderr)")

        let itself = try pair.source.kura(["copy", "--from-repo", pair.source.repo], environment: ["KURA_FROM_PASSWORD": pair.source.password])
        #expect(itself.status == 64 && itself.stderr.contains("same repository"), "\(itself.status) \(itself.stderr)")

        let writeOnly = try pair.destination.kura(["key", "add", "--write-only"], environment: ["KURA_NEW_PASSWORD": "append only"])
        #expect(writeOnly.status == 0, "\(writeOnly.stderr)")
        let refused = try pair.copy(environment: ["KURA_PASSWORD": "append only"])
        #expect(refused.status == 12 && refused.stderr.contains("write-only"), "\(refused.stderr)")
        #expect(try pair.destination.snapshotIDs().isEmpty)
    }

    @Test("the catalog records each copy and report --max-copy-age names sources without a recent copy")
    func catalogRecordsCopies() throws {
        let s = try RetentionSetup(custodians: [])
        let offsite = try RepositoryFixture(name: "kura-copy-offsite")
        try s.ok(["backup", "--from-command", "crm.sql=echo 'COPY customers FROM stdin;'", "--quiet"])
        let none = try s.kura(["report", "--max-copy-age", "1d"])
        #expect(none.status == 1 && none.stderr.contains("no copy in another repository recorded"), "\(none.stderr)")

        let copy = try offsite.kura(["copy", "--from-repo", s.fixture.repo, "--catalog", s.catalog.catalogPath],
                                    environment: ["KURA_FROM_PASSWORD": s.fixture.password])
        #expect(copy.status == 0, "\(copy.stderr)")
        let report = try s.kura(["report", "--max-copy-age", "1d", "--json"])
        #expect(report.status == 0, "\(report.stderr)")
        let sources = (try RepositoryFixture.json(report))["sources"] as? [[String: Any]] ?? []
        let last = sources.first?["last_copy"] as? [String: Any]
        #expect(last?["destination_repository_id"] as? String != nil && last?["source_repository_id"] as? String != last?["destination_repository_id"] as? String)
        #expect(try s.kura(["report"]).output.contains("newest copy elsewhere:"))
        #expect(try s.kura(["audit", "verify"]).status == 0)

        Thread.sleep(forTimeInterval: 2.2)
        let stale = try s.kura(["report", "--max-copy-age", "1s"])
        #expect(stale.status == 1 && stale.stderr.contains("newest copy in another repository"), "\(stale.stderr)")
    }
}

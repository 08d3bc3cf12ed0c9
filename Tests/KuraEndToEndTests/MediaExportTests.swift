import Foundation
import Testing

/// A repository with snapshots, a catalog with two custodians and a registered medium: what
/// `kura media write` needs.
final class MediaFixture {
    let repository: RepositoryFixture
    let catalog: CatalogFixture
    let source: String

    init(capacity: String = "18TB") throws {
        repository = try RepositoryFixture(name: "kura-media")
        catalog = try CatalogFixture()
        source = repository.path("source")
        try catalog.addCustodians(["alice", "bob"])
        try catalog.ok(["media", "add", "TAPE01", "--type", "LTO-9", "--barcode", "CRM001L9", "--capacity", capacity,
                        "--location", "onsite:tokyo-dc", "--as", "alice"])
    }

    var device: String { repository.path("tape01.tar") }

    /// kura with both the repository's and the catalog's environment; the custodian passphrase is `--as`'s.
    @discardableResult
    func kura(_ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
        var environment = repository.environment
        environment["KURA_CATALOG"] = catalog.catalogPath
        if let i = arguments.firstIndex(of: "--as"), arguments.indices.contains(i + 1) {
            environment["KURA_CUSTODIAN_PASSWORD"] = CatalogFixture.passphrase(of: arguments[i + 1])
        }
        if let now = catalog.now { environment["KURA_NOW"] = now }
        return try Kura.run(arguments, environment: environment.merging(extra) { $1 }, stdin: stdin)
    }

    func makeTree() throws {
        let script = """
        set -e
        mkdir -p '\(source)/顧客/deep' '\(source)/empty-dir'
        head -c 5000000 /dev/urandom > '\(source)/random.bin'
        for i in $(seq 1 20000); do echo "INSERT INTO customers VALUES ($i, '山田 太郎 $i', 'yamada$i@example.jp');"; done > '\(source)/顧客/customers.sql'
        : > '\(source)/empty'
        ln -s 顧客/customers.sql '\(source)/link'
        ln '\(source)/random.bin' '\(source)/顧客/deep/hardlink.bin'
        chmod 640 '\(source)/顧客/customers.sql'
        touch -d '2001-02-03 04:05:06' '\(source)/random.bin'
        """
        #expect(try Kura.shell(script).status == 0)
    }

    /// find-based listing of a tree: type, mode, mtime, size, link target and content hash per path.
    static func manifest(_ root: String) throws -> String {
        try Kura.shell("""
        cd '\(root)' && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
          if [ -L "$p" ]; then printf '%s L %s\\n' "$p" "$(readlink "$p")";
          elif [ -d "$p" ]; then printf '%s D %s\\n' "$p" "$(stat -c '%a %Y' "$p")";
          else printf '%s F %s %s %s\\n' "$p" "$(stat -c '%a %Y %s %h' "$p")" "$(sha256sum < "$p" | cut -c1-16)"; fi
        done
        """).output
    }
}

/// Snapshot ids in a medium's labels, read with `kura media label --json`.
enum MediumInspector {
    static func labelIDs(_ device: String) throws -> [String] {
        let result = try Kura.run(["media", "label", device, "--json"])
        let labels = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        return labels.flatMap { ($0["snapshots"] as? [[String: Any]] ?? []).compactMap { ($0["snapshot"] as? [String: Any])?["id"] as? String } }
    }
}

@Suite(.serialized) struct MediaExportTests {
    @Test func archiveListsWithTarAndRestoresWithoutTheRepository() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        let payload = Data((0..<300_000).map { "row \($0) 佐藤 花子 sato\($0)@example.jp\n" }.joined().utf8)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: payload).status == 0)
        let ids = try f.repository.snapshotIDs()

        let write = try f.kura(["media", "write", "TAPE01", ids[0], ids[1], "--device", f.device, "--retain-days", "30", "--as", "alice", "--json"])
        #expect(write.status == 0, "\(write.stderr)")
        #expect(try f.catalog.mediumState("TAPE01") == "active")

        for lister in [["tar", "tvf"], ["bsdtar", "-tvf"]] {
            let listing = try Kura.shell("\(lister.joined(separator: " ")) '\(f.device)'")
            #expect(listing.status == 0, "\(lister): \(listing.stderr)")
            let lines = listing.output.split(separator: "\n")
            #expect(lines.first?.hasSuffix("/label.json") == true, "\(lister): first entry \(lines.first ?? "")")
            #expect(lines.contains { $0.contains("/data/") } && lines.contains { $0.contains("/snapshots/") })
        }
        let label = try f.kura(["media", "label", f.device, "--json"])
        #expect(label.status == 0)
        #expect(label.output.contains("TAPE01") && label.output.contains(ids[0]) && label.output.contains("CRM001L9"))

        let expected = try MediaFixture.manifest(f.source)
        try FileManager.default.removeItem(atPath: f.repository.repo)
        let noRepo = ["KURA_REPO": f.repository.path("gone")]
        let target = f.repository.path("restored")
        let restore = try f.kura(["restore", "--from-media", f.device, String(ids[0].prefix(8)), "--target", target], environment: noRepo)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try MediaFixture.manifest(target + f.source) == expected)
        let dump = try f.kura(["dump", "--from-media", f.device, "latest", "crm.sql"], environment: noRepo)
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout == payload)
    }

    @Test func latestIncrementalSnapshotAloneRestoresFromAFreshMedium() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try Kura.shell("echo changed >> '\(f.source)/顧客/customers.sql' && mkdir -p '\(f.source)/new' && echo n > '\(f.source)/new/file'").status == 0)
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let expected = try MediaFixture.manifest(f.source)
        let target = f.repository.path("restored")
        let restore = try f.kura(["restore", "--from-media", f.device, "latest", "--target", target])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try MediaFixture.manifest(target + f.source) == expected)
        #expect(try f.kura(["media", "verify", "TAPE01", "--device", f.device]).status == 0)
    }

    @Test func drillFromMediumIsRecordedWithTheMedium() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        let payload = Data((0..<100_000).map { "customer \($0)\n" }.joined().utf8)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: payload).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", try f.repository.snapshotIDs()[0], "latest", "--device", f.device, "--as", "alice"]).status == 0)
        try FileManager.default.removeItem(atPath: f.repository.repo)

        let out = f.repository.path("piped.sql")
        let piped = try f.kura(["drill", "latest", "--from-media", f.device, "--restore-command", "cat > '\(out)'",
                                "--verify-command", "test $(wc -l < '\(out)') -eq 100000", "--as", "bob", "--json"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(FileManager.default.contents(atPath: out) == payload)
        let first = String(try #require(try MediumInspector.labelIDs(f.device).first).prefix(8))
        let tree = try f.kura(["drill", first, "--from-media", f.device, "--verify-command", "test -f ./\(f.source)/顧客/customers.sql"])
        #expect(tree.status == 0, "\(tree.stderr)")
        let failed = try f.kura(["drill", first, "--from-media", f.device, "--verify-command", "false"])
        #expect(failed.status == 1)
        let list = try f.kura(["drill", "list", "--json"])
        let drills = try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]] ?? []
        #expect(drills.count == 3)
        #expect(drills.allSatisfy { ($0["medium"] as? String) == "TAPE01" }, "\(list.output)")
        #expect(drills.compactMap { $0["result"] as? String }.sorted() == ["failed", "passed", "passed"])
    }

    @Test func pgDumpStreamRestoresFromMediumAlone() throws {
        let pg = try PostgresServer()
        try pg.run("createdb \(pg.connection) crm")
        _ = try pg.psql("crm", DatabaseStreamTests.schema)
        let f = try MediaFixture()
        let direct = pg.directory.appending("direct.sql")
        let dump = pg.asUser("pg_dump \(pg.connection) crm") + " | tee '\(direct)'"
        #expect(try f.kura(["backup", "--from-command", "crm.sql=\(dump)"]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "bob"]).status == 0)
        try FileManager.default.removeItem(atPath: f.repository.repo)
        let restored = try f.kura(["dump", "--from-media", f.device, "latest", "crm.sql"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == (try Data(contentsOf: URL(fileURLWithPath: direct))))
    }

    @Test func truncatedForeignAndWrongPasswordMediaFailClearly() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try Kura.shell("head -c 30000000 /dev/urandom > '\(f.source)/z-last-big.bin'").status == 0)
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)

        // Cut the archive in the middle of its last pack.
        let size = try FileManager.default.attributesOfItem(atPath: f.device)[.size] as! Int
        let truncated = f.repository.path("truncated.tar")
        #expect(try Kura.shell("head -c \(size - 3_000_000) '\(f.device)' > '\(truncated)'").status == 0)
        let target = f.repository.path("partial")
        let partial = try f.kura(["restore", "--from-media", truncated, "latest", "--target", target])
        #expect(partial.status == 1)
        #expect(partial.stderr.contains("truncated") && partial.stderr.contains("missing"), "\(partial.stderr)")
        #expect(partial.stderr.contains("z-last-big.bin"))
        #expect(!FileManager.default.fileExists(atPath: target + f.source + "/z-last-big.bin"))
        // What it did restore is complete and correct.
        let restoredSQL = target + f.source + "/顧客/customers.sql"
        #expect(FileManager.default.contents(atPath: restoredSQL) == FileManager.default.contents(atPath: f.source + "/顧客/customers.sql"))

        let random = f.repository.path("random.bin")
        #expect(try Kura.shell("head -c 1000000 /dev/urandom > '\(random)'").status == 0)
        let foreign = try f.kura(["restore", "--from-media", random, "latest", "--target", f.repository.path("x")])
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("not a kura medium"))
        let plainTar = f.repository.path("plain.tar")
        #expect(try Kura.shell("tar cf '\(plainTar)' -C '\(f.source)' empty").status == 0)
        #expect(try f.kura(["media", "label", plainTar]).stderr.contains("not a kura medium"))

        let other = try RepositoryFixture(name: "kura-other")
        let wrong = try f.kura(["restore", "--from-media", f.device, "latest", "--target", f.repository.path("y")],
                               environment: ["KURA_PASSWORD": other.password + " but not this one"])
        #expect(wrong.status == 12)
        #expect(wrong.stderr.contains("wrong password"))
    }

    @Test func retentionOfAWrittenSetBlocksDisposalUntilItPasses() throws {
        let f = try MediaFixture()
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: Data("data".utf8)).status == 0)
        let id = try f.repository.snapshotIDs()[0]
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--retain-days", "30", "--as", "alice"]).status == 0)
        let refused = try f.kura(["media", "dispose", "request", "TAPE01", "--reason", "rotation", "--as", "alice"])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains(String(id.prefix(8))), "\(refused.stderr)")
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(30 * 86400)).prefix(10)
        #expect(refused.stderr.contains(String(until)), "\(refused.stderr)")

        // A second medium whose set is retained for no time (a retain-until in the past exits 64) goes through the
        // two-person flow.
        try f.catalog.ok(["media", "add", "TAPE02", "--type", "LTO-9", "--location", "onsite:tokyo-dc", "--as", "alice"])
        let device2 = f.repository.path("tape02.tar")
        #expect(try f.kura(["media", "write", "TAPE02", "latest", "--device", device2, "--retain-until", "2020-01-01", "--as", "bob"]).status == 64)
        #expect(try f.kura(["media", "write", "TAPE02", "latest", "--device", device2, "--retain-days", "0", "--as", "bob"]).status == 0)
        #expect(try f.kura(["media", "dispose", "request", "TAPE02", "--reason", "rotation", "--as", "alice"]).status == 0)
        #expect(try f.kura(["media", "dispose", "approve", "TAPE02", "--as", "bob"]).status == 0)
        #expect(try f.kura(["media", "dispose", "record", "TAPE02", "--method", "destroy", "--technique", "shred",
                            "--tool", "Shredder 2", "--verification", "visual", "--destination", "recycler", "--as", "alice"]).status == 0)
        #expect(try f.kura(["media", "dispose", "validate", "TAPE02", "--as", "bob"]).status == 0)
        #expect(try f.catalog.mediumState("TAPE02") == "disposed")
    }

    @Test func verifyRecordsPassAndNamesTheDamagedPackOnAFlippedByte() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let pass = try f.kura(["media", "verify", "TAPE01", "--device", f.device, "--as", "bob"])
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.output.contains("pass"))

        // Flip one byte inside the first pack's data.
        let listing = try Kura.shell("tar tvf '\(f.device)' | grep /data/ | head -1").output
        let packName = String(listing.split(separator: "/").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(packName.count == 64)
        let offset = try Kura.shell("grep -obaF '\(packName)' '\(f.device)' | head -1 | cut -d: -f1").output.trimmingCharacters(in: .whitespacesAndNewlines)
        let at = (Int(offset) ?? 0) + 512 * 3 + 200
        #expect(try Kura.shell("printf '\\x01' | dd of='\(f.device)' bs=1 seek=\(at) conv=notrunc status=none").status == 0)
        let fail = try f.kura(["media", "verify", "TAPE01", "--device", f.device, "--as", "bob"])
        #expect(fail.status == 1)
        #expect(fail.stderr.contains(packName), "\(fail.stderr)")

        let history = try f.kura(["media", "show", "TAPE01"]).output
        #expect(history.contains("verified: pass") && history.contains("verified: FAIL"), "\(history)")
    }

    @Test func writeIsRefusedForUnknownFullOrForeignMedia() throws {
        let f = try MediaFixture(capacity: "1MB")
        #expect(try Kura.shell("mkdir -p '\(f.source)' && head -c 3000000 /dev/urandom > '\(f.source)/random'").status == 0)
        #expect(try f.kura(["backup", f.source]).status == 0)
        let unknown = try f.kura(["media", "write", "NOPE99", "latest", "--device", f.device, "--as", "alice"])
        #expect(unknown.status == 20)
        let tooBig = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(tooBig.status == 20)
        #expect(tooBig.stderr.contains("capacity") && tooBig.stderr.contains("1000000"), "\(tooBig.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.device))

        try f.catalog.ok(["media", "add", "DISK01", "--type", "HDD", "--location", "onsite:tokyo-dc", "--as", "alice"])
        try f.catalog.ok(["media", "add", "DISK02", "--type", "HDD", "--location", "onsite:tokyo-dc", "--as", "alice"])
        let disk = f.repository.path("disk.tar")
        #expect(try f.kura(["media", "write", "DISK01", "latest", "--device", disk, "--as", "alice"]).status == 0)
        let foreign = try f.kura(["media", "write", "DISK02", "latest", "--device", disk, "--as", "bob"])
        #expect(foreign.status == 20)
        #expect(foreign.stderr.contains("DISK01"))
        try f.catalog.ok(["media", "quarantine", "DISK02", "--reason", "dropped", "--as", "alice"])
        #expect(try f.kura(["media", "write", "DISK02", "latest", "--device", f.repository.path("d2.tar"), "--as", "bob"]).status == 20)
    }
}

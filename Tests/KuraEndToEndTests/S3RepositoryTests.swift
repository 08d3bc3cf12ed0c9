import Foundation
import KuraStorage
import KuraTestSupport
import Testing

/// Issue 14 items 2–4 through the built binary: a repository in a bucket of a real S3 store (SeaweedFS on
/// loopback, SigV4 on), every command that reads or writes it, two hosts at once, wrong credentials, the
/// store killed in the middle of a backup, and copies between local and S3 repositories.
@Suite("S3 repositories", .serialized, .enabled(if: SeaweedFSServer.shouldRun, Comment(rawValue: SeaweedFSServer.skipReason)))
struct S3RepositoryTests {
    /// A store, a bucket path and the environment that opens a repository there.
    final class Store {
        let server: SeaweedFSServer
        let scratch: TemporaryDirectory
        let password = "kura s3 e2e password"

        init() throws {
            server = try SeaweedFSServer.start()
            scratch = try TemporaryDirectory("kura-s3-e2e")
        }

        deinit { server.stop() }

        func repo(_ bucket: String, prefix: String = "crm") -> String { "s3:\(server.endpoint)/\(bucket)/\(prefix)" }

        func environment(_ repo: String, identity: SeaweedFSServer.Identity = SeaweedFSServer.readWrite) -> [String: String] {
            ["KURA_REPO": repo, "KURA_PASSWORD": password, "AWS_ACCESS_KEY_ID": identity.accessKeyID,
             "AWS_SECRET_ACCESS_KEY": identity.secretAccessKey, "XDG_CACHE_HOME": scratch.appending("cache")]
        }

        @discardableResult
        func kura(_ arguments: [String], repo: String, environment extra: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
            try Kura.run(arguments, environment: environment(repo).merging(extra) { $1 }, stdin: stdin)
        }

        func snapshotIDs(_ repo: String) throws -> [String] {
            let result = try kura(["snapshots", "--json"], repo: repo)
            #expect(result.status == 0, "snapshots: \(result.stderr)")
            return (try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }

        func makeTree(_ name: String, bytes: Int) throws -> String {
            let tree = scratch.appending(name)
            #expect(try Kura.shell("mkdir -p '\(tree)/sub' && head -c \(bytes) /dev/urandom > '\(tree)/data.bin' && echo '顧客名簿' > '\(tree)/sub/名簿.txt'").status == 0)
            return tree
        }
    }

    @Test("init, backup, snapshots, restore, dump, check --read-data, keys, forget and prune on a bucket")
    func everyCommandOnABucket() throws {
        let store = try Store()
        let repo = store.repo("backups")
        let initialized = try store.kura(["init"], repo: repo)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(try store.kura(["init"], repo: repo).status == 1, "a second init must refuse")

        let tree = try store.makeTree("crm", bytes: 6_000_000)
        #expect(try store.kura(["backup", tree, "--tag", "nightly"], repo: repo).status == 0)
        let dump = Data((0..<200_000).map { "INSERT INTO customers VALUES (\($0), '顧客 \($0)');\n" }.joined().utf8)
        #expect(try store.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], repo: repo, stdin: dump).status == 0)
        #expect(try store.snapshotIDs(repo).count == 2)

        let target = store.scratch.appending("restored")
        let ids = try store.snapshotIDs(repo)
        #expect(try store.kura(["restore", ids[0], "--target", target], repo: repo).status == 0)
        #expect(try Kura.shell("diff -r '\(tree)' '\(target)\(tree)'").status == 0)
        let dumped = try store.kura(["dump", "latest", "crm.sql"], repo: repo)
        #expect(dumped.status == 0 && dumped.stdout == dump)
        let check = try store.kura(["check", "--read-data"], repo: repo)
        #expect(check.status == 0, "\(check.output) \(check.stderr)")

        #expect(try store.kura(["key", "add"], repo: repo, environment: ["KURA_NEW_PASSWORD": "second key"]).status == 0)
        #expect(try store.kura(["snapshots"], repo: repo, environment: ["KURA_PASSWORD": "second key"]).status == 0)
        // The tree and the dump are two groups (host and paths, as restic groups them): the tree's snapshot goes by id.
        #expect(try store.kura(["forget", ids[0], "--prune"], repo: repo).status == 0)
        #expect(try store.snapshotIDs(repo).count == 1)
        #expect(try store.kura(["check", "--read-data"], repo: repo).status == 0)
        let relisted = try store.kura(["ls", "latest"], repo: repo)
        #expect(relisted.status == 0 && relisted.output.contains("crm.sql"))
    }

    @Test("media write from an S3 repository to a local file, verified and restored without the store")
    func mediaWriteFromABucket() throws {
        let store = try Store()
        let repo = store.repo("media")
        #expect(try store.kura(["init"], repo: repo).status == 0)
        let tree = try store.makeTree("files", bytes: 3_000_000)
        #expect(try store.kura(["backup", tree], repo: repo).status == 0)
        let catalog = try CatalogFixture()
        try catalog.addCustodians(["alice", "bob"])
        try catalog.ok(["media", "add", "TAPE01", "--type", "LTO-9", "--location", "onsite:tokyo-dc", "--as", "alice"])
        let device = store.scratch.appending("tape01.tar")
        let custodian = ["KURA_CATALOG": catalog.catalogPath, "KURA_CUSTODIAN_PASSWORD": CatalogFixture.passphrase(of: "alice")]
        let write = try store.kura(["media", "write", "TAPE01", "latest", "--device", device, "--as", "alice"], repo: repo, environment: custodian)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(try store.kura(["media", "verify", "TAPE01", "--device", device], repo: repo, environment: custodian).status == 0)
        store.server.kill()
        let target = store.scratch.appending("from-tape")
        let restore = try Kura.run(["restore", "--from-media", device, "latest", "--target", target], environment: ["KURA_PASSWORD": store.password])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Kura.shell("diff -r '\(tree)' '\(target)\(tree)'").status == 0)
    }

    @Test("two hosts back up into one bucket at once, one with a write-only key, and share chunks")
    func twoHostsAtOnce() throws {
        let store = try Store()
        let repo = store.repo("shared")
        #expect(try store.kura(["init"], repo: repo).status == 0)
        #expect(try store.kura(["key", "add", "--write-only"], repo: repo, environment: ["KURA_NEW_PASSWORD": "db host"]).status == 0)
        let a = try store.makeTree("a", bytes: 8_000_000)
        let b = store.scratch.appending("b")
        #expect(try Kura.shell("cp -r '\(a)' '\(b)'").status == 0)
        let script = """
        '\(Kura.executable.path)' backup '\(a)' --host one -q & p1=$!
        KURA_PASSWORD='db host' '\(Kura.executable.path)' backup '\(b)' --host two -q & p2=$!
        wait $p1; s1=$?; wait $p2; s2=$?; echo "status=$s1,$s2"
        """
        let both = try Kura.shell(script, environment: store.environment(repo))
        #expect(both.output.contains("status=0,0"), "\(both.output) \(both.stderr)")
        let listed = try store.kura(["snapshots", "--json"], repo: repo)
        let snapshots = try JSONSerialization.jsonObject(with: listed.stdout) as? [[String: Any]] ?? []
        #expect(snapshots.count == 2)
        let stored = snapshots.compactMap { ($0["summary"] as? [String: Any])?["bytes_stored"] as? Int }.reduce(0, +)
        // 8 MB of random data each; sent at once, both may store it, but no more than twice, and check passes.
        #expect(stored < 17_000_000, "stored \(stored)")
        #expect(try store.kura(["check", "--read-data"], repo: repo).status == 0)
        #expect(try store.kura(["snapshots"], repo: repo, environment: ["KURA_PASSWORD": "db host"]).status == 12)
    }

    @Test("wrong credentials, a missing bucket and unknown schemes fail in one line")
    func refusals() throws {
        let store = try Store()
        let repo = store.repo("creds")
        #expect(try store.kura(["init"], repo: repo).status == 0)
        let wrong = SeaweedFSServer.Identity(accessKeyID: SeaweedFSServer.readWrite.accessKeyID, secretAccessKey: "not the secret")
        let denied = try Kura.run(["snapshots"], environment: store.environment(repo, identity: wrong))
        #expect(denied.status == 1, "\(denied.status) \(denied.stderr)")
        #expect(denied.stderr.split(separator: "\n").count == 1 && denied.stderr.lowercased().contains("denied"), "\(denied.stderr)")
        let noCredentials = try Kura.run(["snapshots"], environment: ["KURA_REPO": repo, "KURA_PASSWORD": store.password])
        #expect(noCredentials.status == 1 && noCredentials.stderr.contains("AWS_ACCESS_KEY_ID"), "\(noCredentials.stderr)")
        let readOnly = try Kura.run(["snapshots"], environment: store.environment(repo, identity: SeaweedFSServer.readOnly))
        #expect(readOnly.status == 0, "a read-only credential reads (without a lock): \(readOnly.stderr)")

        let cwd = store.scratch.appending("cwd")
        #expect(try Kura.shell("mkdir -p '\(cwd)'").status == 0)
        for location in ["sftp:host:/srv/kura", "rclone:remote:kura", "b2:bucket:kura", "azure:container:/"] {
            let refused = try Kura.shell("cd '\(cwd)' && KURA_PASSWORD=x '\(Kura.executable.path)' init --repo '\(location)'")
            #expect(refused.status == 64, "\(location): \(refused.status) \(refused.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd).isEmpty, "a refused location created something")
    }

    @Test("the store killed in the middle of a backup: the repository stays healthy and the next backup succeeds")
    func storeKilledMidBackup() throws {
        let store = try Store()
        let repo = store.repo("crash")
        #expect(try store.kura(["init", "--pack-size", "1MiB"], repo: repo).status == 0)
        let tree = try store.makeTree("big", bytes: 40_000_000)
        let script = """
        '\(Kura.executable.path)' backup '\(tree)' -q 2>'\(store.scratch.appending("backup.err"))' & k=$!
        wait $k; echo "status=$?"
        """
        // The store dies once the backup has sent 3 of its 40 packs, so it dies in the middle of the
        // backup however fast this machine is (a fixed delay once let the backup finish first). The test
        // thread waits for the shell, then for the killer, before it touches the server again.
        let identity = SeaweedFSServer.readWrite
        let watcher = try S3Backend(parsing: repo,
                                    credentials: S3Credentials(accessKeyID: identity.accessKeyID, secretAccessKey: identity.secretAccessKey),
                                    readOnly: true)
        nonisolated(unsafe) let server = store.server
        let killed = DispatchSemaphore(value: 0)
        let killer = Thread {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, ((try? watcher.list(.data).count) ?? 0) < 3 { usleep(20_000) }
            server.kill()
            killed.signal()
        }
        killer.start()
        let interrupted = try Kura.shell(script, environment: store.environment(repo))
        killed.wait()
        #expect(interrupted.output.contains("status=") && !interrupted.output.contains("status=0"),
                "the backup should fail once the store is gone: \(interrupted.output)")
        try store.server.restart()
        let stale = try store.kura(["unlock"], repo: repo)
        #expect(stale.status == 0, "\(stale.stderr)")
        let again = try store.kura(["backup", tree], repo: repo)
        #expect(again.status == 0, "\(again.stderr)")
        let check = try store.kura(["check", "--read-data"], repo: repo)
        #expect(check.status == 0, "\(check.output) \(check.stderr)")
        let target = store.scratch.appending("restored")
        let restored = try store.kura(["restore", "latest", "--target", target], repo: repo)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try Kura.shell("cmp '\(tree)/data.bin' '\(target)\(tree)/data.bin'").status == 0)
    }

    @Test("copy local to S3, S3 to local and S3 to S3")
    func copiesBetweenLocalAndS3() throws {
        let store = try Store()
        let local = try RepositoryFixture(name: "kura-s3-local")
        let tree = try store.makeTree("copied", bytes: 2_000_000)
        #expect(try local.kura(["backup", tree]).status == 0)
        let east = store.repo("east"), west = store.repo("west")
        for repo in [east, west] { #expect(try store.kura(["init"], repo: repo).status == 0) }

        let toS3 = try store.kura(["copy", "--from-repo", local.repo], repo: east, environment: ["KURA_FROM_PASSWORD": local.password])
        #expect(toS3.status == 0, "\(toS3.stderr)")
        let s3ToS3 = try store.kura(["copy", "--from-repo", east], repo: west, environment: ["KURA_FROM_PASSWORD": store.password])
        #expect(s3ToS3.status == 0, "\(s3ToS3.stderr)")
        let back = try RepositoryFixture(name: "kura-s3-back")
        let toLocal = try back.kura(["copy", "--from-repo", west, "--json"], environment: [
            "KURA_FROM_PASSWORD": store.password, "AWS_ACCESS_KEY_ID": SeaweedFSServer.readWrite.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": SeaweedFSServer.readWrite.secretAccessKey])
        #expect(toLocal.status == 0, "\(toLocal.stderr)")
        // The local repository already holds the original's origin via the chain of copies: nothing left to send twice.
        #expect(try back.snapshotIDs().count == 1)
        #expect(try store.kura(["check", "--read-data"], repo: west).status == 0)
        let target = back.path("restored")
        #expect(try back.kura(["restore", "latest", "--target", target]).status == 0)
        #expect(try Kura.shell("diff -r '\(tree)' '\(target)\(tree)'").status == 0)
    }
}

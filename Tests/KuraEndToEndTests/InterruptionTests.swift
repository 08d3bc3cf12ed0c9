import Foundation
import Testing

/// Issue 13 item 4: SIGINT and SIGTERM of a nightly backup end the commands it started, release its
/// lock, remove its temporary files and exit 130 / 143; no snapshot appears.
@Suite("Interrupting a backup")
struct InterruptionTests {
    @Test("a --from-command backup interrupted by a signal ends its command and leaves the repository clean",
          arguments: [("TERM", 143), ("INT", 130)])
    func interruptFromCommandBackup(signal: String, expected: Int) throws {
        let fixture = try RepositoryFixture(name: "kura-int")
        let pidFile = fixture.path("grandchild.pid")
        // The command streams some data, then starts a long-running grandchild (as sh -c 'pg_dump …' would) and waits.
        let command = "head -c 3000000 /dev/urandom; sleep 300 & echo $! > '\(pidFile)'; wait"
        let script = """
        '\(Kura.executable.path)' backup --from-command 'crm.sql=\(command.replacingOccurrences(of: "'", with: "'\\''"))' &
        k=$!
        for i in $(seq 1 400); do [ -s '\(pidFile)' ] && break; sleep 0.05; done
        sleep 0.3
        kill -\(signal) $k
        wait $k
        echo "status=$?"
        sleep 0.3
        state=$(ps -o stat= -p "$(cat '\(pidFile)')" | cut -c1)
        if [ -n "$state" ] && [ "$state" != Z ]; then echo grandchild=alive; kill "$(cat '\(pidFile)')"; else echo grandchild=gone; fi
        """
        let result = try Kura.shell(script, environment: fixture.environment)
        #expect(result.output.contains("status=\(expected)"), "\(result.output) \(result.stderr)")
        #expect(result.output.contains("grandchild=gone"), "\(result.output)")
        #expect(result.stderr.contains("interrupted by SIG\(signal)"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.repo + "/locks").isEmpty)
        let snapshots = try fixture.kura(["snapshots", "--json"])
        #expect(snapshots.status == 0 && snapshots.output.hasPrefix("["), "\(snapshots.output) \(snapshots.stderr)")
        #expect(try fixture.snapshotIDs().isEmpty, "\(snapshots.output)")
        let leftovers = try Kura.shell("find '\(fixture.repo)' -name '*.tmp-*' -o -name '.tmp-*'").output
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        #expect(try fixture.kura(["check"]).status == 0)
    }
}

import Foundation
import Testing

/// Issue 13 item 6: read-only and busy repositories.
@Suite("Locking: read-only storage, --no-lock, --retry-lock, reused pids")
struct LockingTests {
    static func writeLock(_ repo: String, name: String, hostname: String, pid: Int32, exclusive: Bool,
                          expires: String = "2099-01-01T00:00:00Z", incarnation: String? = nil) throws {
        var json = #"{"exclusive":\#(exclusive),"expires":"\#(expires)","hostname":"\#(hostname)","operation":"check","pid":\#(pid),"time":"2026-01-01T00:00:00Z","username":"u""#
        if let incarnation { json += #","incarnation":"\#(incarnation)""# }
        try Data((json + "}").utf8).write(to: URL(fileURLWithPath: repo + "/locks/" + name))
    }

    static var hostname: String { ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "" }

    @Test("read commands work on a read-only mount: without a lock, with a warning; --no-lock asks for it")
    func readOnlyRepository() throws {
        let fixture = try RepositoryFixture(name: "kura-ro")
        #expect(try fixture.kura(["backup", "--from-command", "crm.sql=echo hello", "--quiet"]).status == 0)
        let mountPoint = fixture.path("ro")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try Kura.shell("mount --bind '\(fixture.repo)' '\(mountPoint)' && mount -o remount,bind,ro '\(mountPoint)'")
        try #require(mounted.status == 0, "this test needs to bind-mount read-only (root): \(mounted.stderr)")
        defer { _ = try? Kura.shell("umount '\(mountPoint)'") }
        let ro = ["KURA_REPO": mountPoint]

        let listed = try fixture.kura(["snapshots"], environment: ro)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stderr.contains("read-only") && listed.stderr.contains("without a lock"), "\(listed.stderr)")
        let dumped = try fixture.kura(["dump", "latest", "crm.sql"], environment: ro)
        #expect(dumped.status == 0 && dumped.output == "hello\n", "\(dumped.stderr)")
        let restored = try fixture.kura(["restore", "latest", "--target", fixture.path("out")], environment: ro)
        #expect(restored.status == 0, "\(restored.stderr)")

        let quiet = try fixture.kura(["ls", "latest", "--no-lock"], environment: ro)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let backup = try fixture.kura(["backup", "--from-command", "x=echo x"], environment: ro)
        #expect(backup.status == 1, "a backup cannot work on read-only storage: \(backup.stderr)")
    }

    @Test("a backup during an exclusive lock exits 11 at once; --retry-lock waits for it")
    func retryLock() throws {
        let fixture = try RepositoryFixture(name: "kura-retry")
        // A real process on this host holds an exclusive lock for eight seconds (long enough for a loaded CI machine
        // to run the refused backup first).
        let holder = try Kura.shell("sleep 8 >/dev/null 2>&1 & echo $!")
        let pid = try #require(Int32(holder.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        try Self.writeLock(fixture.repo, name: "held", hostname: Self.hostname, pid: pid, exclusive: true)

        let start = Date()
        let refused = try fixture.kura(["backup", "--from-command", "x=echo x"])
        #expect(refused.status == 11, "\(refused.stderr)")
        #expect(refused.stderr.contains("locked") && refused.stderr.contains("check"), "\(refused.stderr)")
        #expect(Date().timeIntervalSince(start) < 6, "it should not wait without --retry-lock")

        let waited = try fixture.kura(["backup", "--from-command", "x=echo x", "--retry-lock", "1min", "--quiet"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(try fixture.snapshotIDs().count == 1)

        try Self.writeLock(fixture.repo, name: "forever", hostname: "other-host", pid: 1, exclusive: true)
        let gaveUp = try fixture.kura(["backup", "--from-command", "x=echo x", "--retry-lock", "2s"])
        #expect(gaveUp.status == 11, "\(gaveUp.stderr)")
    }

    @Test("unlock removes a lock whose pid now belongs to another program")
    func reusedPid() throws {
        let fixture = try RepositoryFixture(name: "kura-pid")
        // pid 1 is alive, but it is not the process that took these locks.
        try Self.writeLock(fixture.repo, name: "reused", hostname: Self.hostname, pid: 1, exclusive: false, incarnation: "another-boot:12345")
        try Self.writeLock(fixture.repo, name: "old-format", hostname: Self.hostname, pid: 1, exclusive: false)
        let unlocked = try fixture.kura(["unlock", "--json"])
        #expect(unlocked.status == 0)
        #expect(!FileManager.default.fileExists(atPath: fixture.repo + "/locks/reused"))
        #expect(FileManager.default.fileExists(atPath: fixture.repo + "/locks/old-format"), "without an incarnation a live pid keeps its lock")
    }
}

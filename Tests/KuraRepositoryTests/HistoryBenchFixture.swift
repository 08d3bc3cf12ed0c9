import Foundation
import Testing
@testable import KuraRepository

/// Builds the repository `bench/history` times `snapshots`, `forget` and `backup` on: one real backup of a small
/// directory, then `KURA_BENCH_SNAPSHOTS` snapshots in all, each a real sealed snapshot object naming that backup's
/// tree, an hour apart (the newest now), on ten hosts, tagged `daily` (every seventh also `weekly`). Written
/// through the repository's own `saveSnapshot`, so 10,000 snapshots take seconds rather than 10,000 backups, each
/// with its Argon2id unlock. Password `bench`. Runs only when `KURA_BENCH_REPOSITORY` names the directory to create.
@Suite struct HistoryBenchFixture {
    static let path = ProcessInfo.processInfo.environment["KURA_BENCH_REPOSITORY"]

    @Test(.enabled(if: path != nil)) func buildBenchRepository() throws {
        let count = max(1, Int(ProcessInfo.processInfo.environment["KURA_BENCH_SNAPSHOTS"] ?? "10") ?? 10)
        let path = try #require(Self.path)
        try? FileManager.default.removeItem(atPath: path)
        let source = path + ".source"
        try? FileManager.default.removeItem(atPath: source)
        try FileManager.default.createDirectory(atPath: source + "/etc", withIntermediateDirectories: true)
        try Data("listen 5432\n".utf8).write(to: URL(fileURLWithPath: source + "/etc/db.conf"))
        try Data("データベース\n".utf8).write(to: URL(fileURLWithPath: source + "/README"))
        defer { try? FileManager.default.removeItem(atPath: source) }

        let repo = try Repository.initialize(at: path, password: "bench")
        var options = Archiver.Options()
        options.hostname = "host0"
        let made = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: options).backup(paths: [source])
        let now = Date()
        for n in 1..<count {
            var snapshot = made.snapshot
            snapshot.time = now.addingTimeInterval(-3600 * Double(n))
            snapshot.hostname = "host\(n % 10)"
            snapshot.tags = n % 7 == 0 ? ["daily", "weekly"] : ["daily"]
            _ = try repo.saveSnapshot(snapshot)
        }
        #expect(try repo.snapshotIDs().count == count)
    }
}

import ArgumentParser
import Foundation
import KuraRepository

extension Kura {
    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the snapshots in the repository, oldest first.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Option(name: .customLong("tag"), help: ArgumentHelp("Only snapshots with this tag (repeatable: any of them).", valueName: "tag"))
        var tags: [String] = []

        @Option(help: ArgumentHelp("Only snapshots made on this host.", valueName: "host"))
        var host: String?

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "snapshots")
            defer { lock?.release() }
            let entries = try repo.snapshots().filter { entry in
                (tags.isEmpty || !Set(tags).isDisjoint(with: entry.snapshot.tags)) && (host == nil || entry.snapshot.hostname == host)
            }
            let now = Date()
            let future = entries.filter { $0.isFutureDated(now: now) }
            for entry in future {
                Terminal.warn("snapshot \(entry.id.short) is dated \(Snapshot.formatTime(entry.snapshot.time)), in the future: "
                    + "it is never 'latest' and no keep rule counts it (a host's clock is wrong, or a write-only key forged it)")
            }
            if output.json {
                try Terminal.printJSON(entries.map { SnapshotListing($0, now: now) })
                return
            }
            if output.quiet { return }
            print("ID        Time                       Host             Tags        Size       Paths")
            for e in entries {
                let s = e.snapshot
                let size = Terminal.formatBytes(Int(s.summary?.bytesRead ?? 0))
                print([e.id.short, Snapshot.formatTime(s.time).padding(toLength: 26, withPad: " ", startingAt: 0),
                       s.hostname.padding(toLength: 16, withPad: " ", startingAt: 0),
                       s.tags.joined(separator: ",").padding(toLength: 11, withPad: " ", startingAt: 0),
                       size.padding(toLength: 10, withPad: " ", startingAt: 0), s.paths.joined(separator: " ")].joined(separator: " "))
            }
            print("\(entries.count) snapshot\(entries.count == 1 ? "" : "s")")
        }
    }

    /// One snapshot as `kura snapshots --json` prints it.
    struct SnapshotListing: Encodable {
        var id: String
        var shortID: String
        var time: String
        var hostname: String
        var username: String
        var paths: [String]
        var tags: [String]
        var tree: String
        var summary: Snapshot.Summary?
        /// More than `Snapshot.futureSkew` ahead of the reader's clock.
        var futureDated: Bool

        init(_ e: SnapshotEntry, now: Date) {
            futureDated = e.isFutureDated(now: now)
            id = e.id.hex
            shortID = e.id.short
            time = Snapshot.formatTime(e.snapshot.time)
            hostname = e.snapshot.hostname
            username = e.snapshot.username
            paths = e.snapshot.paths
            tags = e.snapshot.tags
            tree = e.snapshot.tree.hex
            summary = e.snapshot.summary
        }

        enum CodingKeys: String, CodingKey {
            case id, shortID = "short_id", time, hostname, username, paths, tags, tree, summary, futureDated = "future_dated"
        }
    }
}

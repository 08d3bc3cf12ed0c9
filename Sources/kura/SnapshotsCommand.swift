import ArgumentParser
import Foundation
import KuraRepository
import KuraText

extension Kura {
    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "List the snapshots in the repository, oldest first.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "snapshots")
            defer { lock?.release() }
            let entries = try filters.snapshots(in: repo)
            let now = Date()
            let future = entries.filter { $0.isFutureDated(now: now) }
            for entry in future {
                Terminal.warn("snapshot \(entry.id.short) is dated \(Snapshot.formatTime(entry.snapshot.time)), in the future: "
                    + "it is never 'latest' and no keep rule counts it (a host's clock is wrong, or a write-only key forged it)")
            }
            if output.json {
                try Terminal.printJSONArray(entries.map { SnapshotJSON($0, now: now) })
                return
            }
            if output.quiet { return }
            // The size of what each snapshot holds (what a restore writes), from its trees: a backup's bytes read
            // are only what that run read.
            let totals = entries.isEmpty ? nil : TreeTotals(loader: try BlobLoader(repository: repo, index: try repo.loadIndex()))
            var rows = TextTable([.init("ID", minimumWidth: 8), .init("Time", minimumWidth: 26), .init("Host"), .init("Tags"),
                                  .init("Size", alignment: .right, minimumWidth: 10),
                                  .init("Paths", minimumWidth: 8)])
            for e in entries {
                let s = e.snapshot
                let size = try totals.map { Terminal.formatBytes(Int(try $0.totals(of: s.tree).bytes)) } ?? ""
                rows.append([e.id.short, LocalTime.format(s.time), s.hostname, s.tags.joined(separator: ","), size, s.paths.joined(separator: " ")])
            }
            table.print(rows)
            if !table.tsv { print("\(entries.count) snapshot\(entries.count == 1 ? "" : "s")") }
        }
    }
}

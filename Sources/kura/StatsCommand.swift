import ArgumentParser
import Foundation
import KuraRepository

extension Kura {
    struct Stats: ParsableCommand {
        enum Mode: String, ExpressibleByArgument, CaseIterable {
            case restoreSize = "restore-size", rawData = "raw-data"
        }

        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "How big the snapshots are: what a restore writes, or the distinct data the repository stores for them.",
            discussion: """
            As restic's stats. restore-size (the default): the files and bytes a restore of each chosen snapshot \
            would write, added up over the snapshots. raw-data: the distinct chunks and trees the snapshots \
            reference, each counted once, with their size before and after compression and encryption. Without \
            snapshot ids, every snapshot that passes --host/--tag/--path.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("restore-size or raw-data.", valueName: "mode"))
        var mode: Mode = .restoreSize

        @Argument(help: ArgumentHelp("Snapshots to count ('latest' or id prefixes); none: every snapshot that passes the filters.",
                                     valueName: "snapshot"))
        var snapshots: [String] = []

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "stats")
            defer { lock?.release() }
            var entries: [SnapshotEntry] = []
            let chosen = snapshots.isEmpty ? try filters.snapshots(in: repo) : try snapshots.map { try filters.resolve($0, in: repo) }
            for entry in chosen where !entries.contains(where: { $0.id == entry.id }) {
                entries.append(entry)
            }
            let index = try repo.loadIndex()
            let loader = try BlobLoader(repository: repo, index: index)
            var result = StatsOutput(mode: mode.rawValue, snapshots: entries.count)
            switch mode {
            case .restoreSize:
                let totals = TreeTotals(loader: loader)
                var files = 0
                var bytes: UInt64 = 0
                for entry in entries {
                    let t = try totals.totals(of: entry.snapshot.tree)
                    files += t.files
                    bytes += t.bytes
                }
                result.files = files
                result.size = bytes
            case .rawData:
                let raw = try RawDataStatistics(trees: entries.map(\.snapshot.tree), loader: loader, index: index)
                result.blobs = raw.blobs
                result.uncompressedSize = raw.rawBytes
                result.size = raw.storedBytes
            }
            if output.json { return try Terminal.printJSON(result) }
            if output.quiet { return }
            print("Stats in \(mode.rawValue) mode:")
            print("     Snapshots processed:  \(result.snapshots)")
            if let files = result.files { print("        Total File Count:  \(files)") }
            if let blobs = result.blobs { print("        Total Blob Count:  \(blobs)") }
            if let raw = result.uncompressedSize { print(" Total Uncompressed Size:  \(Terminal.formatBytes(Int(raw)))") }
            print("              Total Size:  \(Terminal.formatBytes(Int(result.size)))")
        }
    }

    /// What `kura stats --json` prints (restic's field names).
    struct StatsOutput: Encodable {
        var mode: String
        var snapshots: Int
        var files: Int?
        var blobs: Int?
        var uncompressedSize: UInt64?
        var size: UInt64 = 0

        enum CodingKeys: String, CodingKey {
            case mode, snapshots = "snapshots_count", files = "total_file_count", blobs = "total_blob_count"
            case uncompressedSize = "total_uncompressed_size", size = "total_size"
        }
    }
}

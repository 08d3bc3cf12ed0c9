import ArgumentParser
import Foundation
import KuraRepository
import KuraText

extension Kura {
    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "find",
            abstract: "Find files and directories whose path matches a glob, in every snapshot (or those the filters choose).",
            discussion: """
            As restic's find: a pattern starting with '/' must match the whole path (kura find '/srv/**/*.sql'); \
            otherwise it matches the end of a path, whole components (kura find '*.sql' or 'dump/crm.sql'). \
            Globs: * within a component, ** across components, ?, [a-z], [!x]. Snapshots newest first.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp("Glob patterns; a path matching any of them is listed.", valueName: "pattern"))
        var patterns: [String]

        @Option(name: .customLong("snapshot"), help: ArgumentHelp("Only search this snapshot (repeatable).", valueName: "id"))
        var snapshotNames: [String] = []

        func validate() throws {
            if patterns.contains(where: \.isEmpty) { throw ValidationError("an empty pattern matches nothing") }
        }

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "find")
            defer { lock?.release() }
            let globs = patterns.map(GlobPattern.init)
            let entries: [SnapshotEntry] = snapshotNames.isEmpty ? Array(try filters.snapshots(in: repo).reversed())
                : try snapshotNames.map { try filters.resolve($0, in: repo) }
            let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
            var results: [FindOutput] = []
            for entry in entries {
                var matches: [FindOutput.Match] = []
                try loader.walk(entry.snapshot.tree) { path, node in
                    if globs.contains(where: { Self.matches($0, path) }) {
                        matches.append(.init(path: path, type: node.type, size: node.size,
                                             mtime: Date(timeIntervalSince1970: Double(node.mtime) / 1e9)))
                    }
                }
                guard !matches.isEmpty else { continue }
                results.append(FindOutput(snapshot: entry, matches: matches))
            }
            if output.json { return try Terminal.printJSON(results) }
            if output.quiet { return }
            for (index, result) in results.enumerated() {
                if index > 0 { print("") }
                print("Found matching entries in snapshot \(result.snapshot.shortID) from \(LocalTime.format(result.time))")
                for match in result.matches { print(match.path + (match.type == .directory ? "/" : "")) }
            }
            if results.isEmpty { print("no path in \(entries.count) snapshot\(entries.count == 1 ? "" : "s") matches") }
        }

        /// `/…` against the whole path; otherwise against the path's last component, last two, and so on.
        static func matches(_ glob: GlobPattern, _ path: String) -> Bool {
            if glob.text.hasPrefix("/") { return glob.matches(path) }
            let components = path.split(separator: "/")
            for start in components.indices.reversed() where glob.matches(components[start...].joined(separator: "/")) {
                return true
            }
            return false
        }
    }

    /// What `kura find --json` prints: one object per snapshot with a match.
    struct FindOutput: Encodable {
        struct Match: Encodable {
            var path: String
            var type: Node.Kind
            var size: UInt64
            var mtime: Date
        }

        var snapshot: SnapshotJSON
        var time: Date
        var matches: [Match]

        init(snapshot entry: SnapshotEntry, matches: [Match]) {
            snapshot = SnapshotJSON(entry)
            time = entry.snapshot.time
            self.matches = matches
        }

        enum CodingKeys: String, CodingKey { case snapshot, matches }
    }
}

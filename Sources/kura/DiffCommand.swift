import ArgumentParser
import Foundation
import KuraRepository

extension Kura {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show what changed between two snapshots: added (+), removed (-) and modified (M) paths.",
            discussion: """
            As restic's diff: a path is modified when a file's content, a symlink's target or an entry's type \
            changed; metadata alone (mode, owner, times) is not a change. Directories end in '/'. The last line \
            counts files and directories added and removed and the bytes of the files added and removed.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp("The older snapshot: 'latest' or an id prefix.", valueName: "snapshot-a"))
        var first: String

        @Argument(help: ArgumentHelp("The newer snapshot: 'latest' or an id prefix.", valueName: "snapshot-b"))
        var second: String

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "diff")
            defer { lock?.release() }
            let a = try filters.resolve(first, in: repo)
            let b = try filters.resolve(second, in: repo)
            let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
            let diff = try SnapshotDiff(from: a.snapshot.tree, to: b.snapshot.tree, loader: loader)
            if output.json {
                try Terminal.printJSON(DiffOutput(from: SnapshotJSON(a), to: SnapshotJSON(b),
                                                  changes: diff.entries.map { .init(change: $0.change.rawValue, path: $0.path, type: $0.type) },
                                                  summary: diff.summary))
                return
            }
            if output.quiet { return }
            print("comparing snapshot \(a.id.short) to \(b.id.short):")
            for entry in diff.entries { print("\(entry.change.rawValue)    \(entry.path)") }
            let s = diff.summary
            print("Files: \(s.filesAdded) new, \(s.filesRemoved) removed, \(s.filesModified) changed; "
                + "Dirs: \(s.directoriesAdded) new, \(s.directoriesRemoved) removed; "
                + "Added: \(Terminal.formatBytes(Int(s.bytesAdded))), Removed: \(Terminal.formatBytes(Int(s.bytesRemoved)))")
        }
    }

    /// What `kura diff --json` prints.
    struct DiffOutput: Encodable {
        struct Change: Encodable {
            var change: String
            var path: String
            var type: Node.Kind
        }

        var from: SnapshotJSON
        var to: SnapshotJSON
        var changes: [Change]
        var summary: SnapshotDiff.Summary
    }
}

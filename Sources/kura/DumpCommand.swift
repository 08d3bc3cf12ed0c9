import ArgumentParser
import KuraMedia
import KuraRepository
import KuraSystem

extension Kura {
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dump",
            abstract: "Write one file of a snapshot to standard output.",
            discussion: "For a stream snapshot NAME is the name given with --stdin-name or --from-command (e.g. crm.sql); for files, its path as recorded (e.g. /srv/data/file). With --from-media the file is read from a tape or file written by 'kura media write', in one pass, with the passphrase alone; 'latest' is then the newest snapshot on the whole medium (a pipe or tape is read to its end first, the newest set so far copied to a scratch file in TMPDIR), and sets an interrupted write left incomplete are skipped with a warning.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions

        @Argument(help: "The snapshot: 'latest' or an id prefix.")
        var snapshot: String

        @Argument(help: "The file inside the snapshot.")
        var name: String

        @Option(help: ArgumentHelp("Read from this tape device or file instead of the repository.", valueName: "path"))
        var fromMedia: String?

        func validate() throws {
            if fromMedia != nil && !filters.isEmpty { throw ValidationError("--host, --tag and --path choose from the repository, not --from-media") }
        }

        func run() throws {
            if let fromMedia {
                let restore = MediumRestore(device: fromMedia)
                restore.onSkippedSet = { Terminal.warn($0) }
                _ = try restore.restore(snapshot, password: try repository.passwordSource().read(), to: .stream(name: name, output: Posix.standardOutput))
                return
            }
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "dump")
            defer { lock?.release() }
            let entry = try filters.resolve(snapshot, in: repo)
            let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
            let node = try loader.find(name, root: entry.snapshot.tree)
            guard node.type == .file else {
                throw CommandFailure("\(name) in snapshot \(entry.id.short) is a \(node.type == .directory ? "directory" : "symlink"), not a file")
            }
            try loader.write(node.content ?? [], to: Posix.standardOutput, path: "standard output")
        }
    }
}

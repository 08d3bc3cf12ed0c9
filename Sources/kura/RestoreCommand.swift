import ArgumentParser
import Foundation
import KuraMedia
import KuraRepository

extension Kura {
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore a snapshot into a directory.",
            discussion: "Paths are recreated below DIR as they were recorded (a backup of /srv/data restores to DIR/srv/data). Files are written with their modes and mtimes, owners when run as root, symlinks and hard links as they were. Nothing already in DIR is followed if it is a symlink: an existing symlink where the snapshot has a directory stops the restore, named. Before writing anything, the restore compares the snapshot with what DIR already holds: identical files are kept; by default a file that differs stops the restore with nothing written, and --overwrite says otherwise. With --from-media the snapshot is read from a tape or file written by 'kura media write', in one sequential pass, with the passphrase alone: no repository and no catalog are needed; 'latest' is then the newest snapshot on the whole medium (a pipe or tape is read to its end first, the newest set so far copied to a scratch file in TMPDIR), and sets an interrupted write left incomplete are skipped with a warning.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The snapshot: 'latest' or an id prefix.")
        var snapshot: String

        @Option(help: ArgumentHelp("Directory to restore into (created if missing).", valueName: "dir"))
        var target: String

        @Option(help: ArgumentHelp("Restore from this tape device or file instead of the repository.", valueName: "path"))
        var fromMedia: String?

        @Option(name: .customLong("include"), help: ArgumentHelp(
            "Only restore paths matching a glob (a pattern with '/' matches the whole path, else the name; a matching directory brings everything below it; repeatable).",
            valueName: "pattern"))
        var includes: [String] = []

        @Option(help: ArgumentHelp(
            "What to do with files already in the target that differ from the snapshot: 'always' replaces them, 'if-newer' replaces those older than the snapshot's, 'never' keeps every existing file. Without it (or with 'refuse') the restore names them and writes nothing. Existing directories are never replaced.",
            valueName: "when"))
        var overwrite: OverwritePolicy = .refuse

        func validate() throws {
            if fromMedia != nil && !filters.isEmpty { throw ValidationError("--host, --tag and --path choose from the repository, not --from-media") }
        }

        func run() throws {
            if let fromMedia { return try restoreFromMedia(fromMedia) }
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "restore")
            defer { lock?.release() }
            let entry = try filters.resolve(snapshot, in: repo)
            let start = Date()
            let restorer = Restorer(loader: try BlobLoader(repository: repo, index: try repo.loadIndex()), includes: includes,
                                    overwrite: overwrite)
            let progress = Progress(quiet: output.quiet)
            if progress.isShown && includes.isEmpty {
                progress.setTotal(Int64(try TreeTotals(loader: try BlobLoader(repository: repo, index: try repo.loadIndex()))
                    .totals(of: entry.snapshot.tree).bytes))
            }
            restorer.onProgress = { progress.update(bytes: $0) }
            try restorer.restore(entry.snapshot, to: target)
            progress.finish()
            let s = restorer.statistics
            let seconds = Date().timeIntervalSince(start)
            if output.json {
                try Terminal.printJSON(RestoreSummary(snapshot: SnapshotJSON(entry), target: target, files: s.files, directories: s.directories,
                                                      symlinks: s.symlinks, bytes: s.bytes, duration: seconds,
                                                      overwritten: restorer.overwritten, skipped: restorer.skipped))
            } else if !output.quiet {
                print("restored snapshot \(entry.id.short) to \(target): \(s.files) files, \(s.directories) directories, "
                      + "\(s.symlinks) symlinks, \(Terminal.formatBytes(Int(s.bytes))) in " + String(format: "%.2f s", seconds))
                printExisting(overwritten: restorer.overwritten, skipped: restorer.skipped)
            }
        }

        private func restoreFromMedia(_ device: String) throws {
            let restore = MediumRestore(device: device)
            restore.overwrite = overwrite
            restore.onSkippedSet = { Terminal.warn($0) }
            let progress = Progress(quiet: output.quiet)
            restore.onProgress = { progress.update(bytes: $0) }
            let result: MediumRestore.Result
            do {
                result = try restore.restore(snapshot, password: try repository.passwordSource().read(),
                                             to: .directory(target, IncludeFilter(includes)))
            } catch {
                progress.finish()
                throw error
            }
            progress.finish()
            if output.json {
                try Terminal.printJSON(MediumRestoreSummary(result: result))
            } else if !output.quiet {
                print("restored snapshot \(result.snapshotID.prefix(8)) from \(device) to \(target): \(result.files) files, "
                      + "\(Terminal.formatBytes(Int(result.bytes))) in " + String(format: "%.2f s", result.seconds))
                printExisting(overwritten: result.overwritten, skipped: result.skipped)
            }
        }

        /// What --overwrite did to entries already in the target: counts and the first few paths.
        private func printExisting(overwritten: [String], skipped: [String]) {
            func line(_ verb: String, _ paths: [String]) {
                guard !paths.isEmpty else { return }
                print("\(verb) \(paths.count) existing entr\(paths.count == 1 ? "y" : "ies") (--overwrite \(overwrite.rawValue)): "
                      + paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? ", ..." : ""))
            }
            line("overwrote", overwritten)
            line("kept", skipped)
        }
    }

    /// What `kura restore --json` prints: the snapshot object and, beside it, what this run restored.
    struct RestoreSummary: Encodable {
        var snapshot: SnapshotJSON
        var target: String
        var files: Int
        var directories: Int
        var symlinks: Int
        var bytes: Int64
        var duration: Double
        /// Snapshot paths of existing entries replaced, and of those left as they were (--overwrite).
        var overwritten: [String]
        var skipped: [String]

        enum CodingKeys: String, CodingKey {
            case snapshot, target, files, directories, symlinks, bytes, duration = "duration_seconds"
            case overwritten, skipped
        }
    }

    /// What `kura restore --from-medium --json` prints: the label tells the snapshot's id, host and paths, not a
    /// whole snapshot object.
    struct MediumRestoreSummary: Encodable {
        var result: MediumRestore.Result

        enum CodingKeys: String, CodingKey {
            case snapshotID = "snapshot_id", set, serial, repositoryID = "repository_id", hostname, paths, files, bytes,
                 duration = "duration_seconds", overwritten, skipped
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(result.snapshotID, forKey: .snapshotID)
            try c.encode(result.set, forKey: .set)
            try c.encode(result.serial, forKey: .serial)
            try c.encode(result.repositoryID, forKey: .repositoryID)
            try c.encode(result.hostname, forKey: .hostname)
            try c.encode(result.paths, forKey: .paths)
            try c.encode(result.files, forKey: .files)
            try c.encode(result.bytes, forKey: .bytes)
            try c.encode(result.seconds, forKey: .duration)
            try c.encode(result.overwritten, forKey: .overwritten)
            try c.encode(result.skipped, forKey: .skipped)
        }
    }
}

extension OverwritePolicy: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import KuraRepository
import KuraSystem
import Logging

extension Kura {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Back up files, standard input, or the output of commands into a new snapshot.",
            discussion: """
            Files: kura backup /srv/data --exclude '*.tmp'. Unchanged files (size, mtime, ctime, inode) \
            are not read again. FIFOs, sockets and devices are skipped with a warning; a file that cannot \
            be read is a warning, the snapshot is still made, and kura exits 3; when none of the paths can \
            be read, no snapshot is made and kura exits 1. In patterns '*' does not cross '/', '**' does: \
            --exclude '/srv/*.tmp' skips /srv/a.tmp, --exclude '/srv/**/*.tmp' also /srv/a/b/c.tmp.

            Streams: pg_dump crm | kura backup --stdin --stdin-name crm.sql, or \
            kura backup --from-command globals.sql='pg_dumpall --globals-only' --from-command crm.sql='pg_dump crm'. \
            A command that exits non-zero makes no snapshot; kura exits 1 and the command's stderr is shown. \
            An empty stream is a warning (with --require-output, an error and no snapshot).
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var logging: LogOptions

        @Argument(help: ArgumentHelp("Files or directories to back up.", valueName: "path"))
        var paths: [String] = []

        @Flag(help: "Back up standard input as one file.")
        var stdin = false

        @Option(help: ArgumentHelp("The file name standard input is stored under.", valueName: "name"))
        var stdinName: String?

        @Option(name: .customLong("from-command"), help: ArgumentHelp(
            "Store the output of a shell command as the file NAME (repeatable; all land in one snapshot).", valueName: "NAME=CMD"))
        var fromCommands: [String] = []

        @Option(name: .customLong("tag"), help: ArgumentHelp("Tag the snapshot; a,b gives two tags (repeatable).", valueName: "tags"))
        var tagLists: [String] = []

        @Flag(help: "Fail (exit 1, no snapshot) when a stream (--stdin, --from-command) is empty, instead of warning.")
        var requireOutput = false

        /// restic's `--tag a,b`: each comma-separated word is a tag.
        var tags: [String] {
            var seen = Set<String>()
            return tagLists.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && seen.insert($0).inserted }
        }

        @Option(help: ArgumentHelp("Record this host name instead of the machine's.", valueName: "host"))
        var host: String?

        @Option(name: .customLong("exclude"), help: ArgumentHelp(
            "Skip paths matching a glob ('*' within a name, '**' across directories): a pattern with '/' matches the whole path, else the name (repeatable).", valueName: "pattern"))
        var excludes: [String] = []

        @Flag(help: "Read every file even when the local files cache says it is unchanged.")
        var noCache = false

        @Flag(help: "Only say what would be backed up and how much of it is new: nothing is written (no pack, index, snapshot or catalog record).")
        var dryRun = false

        @Option(help: ArgumentHelp("Record the backup in this catalog (default: $KURA_CATALOG; neither: not recorded).", valueName: "path"))
        var catalog: String?

        func validate() throws {
            let streams = stdin || !fromCommands.isEmpty
            if streams && !paths.isEmpty { throw ValidationError("back up either paths or streams (--stdin, --from-command), not both") }
            if !streams && paths.isEmpty { throw ValidationError("nothing to back up: give paths, --stdin or --from-command") }
            if stdinName != nil && !stdin { throw ValidationError("--stdin-name needs --stdin") }
            if requireOutput && !streams { throw ValidationError("--require-output is for streams (--stdin, --from-command)") }
            var names = Set<String>()
            if stdin { names.insert(stdinName ?? "stdin") }
            for spec in fromCommands {
                guard let (name, command) = Self.split(spec) else {
                    throw ValidationError("--from-command wants NAME=COMMAND, got '\(spec)'")
                }
                guard !name.contains("/"), !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ValidationError("--from-command '\(spec)': the name may not contain '/' and the command may not be empty")
                }
                guard names.insert(name).inserted else { throw ValidationError("two sources are named '\(name)'") }
            }
            if let stdinName, stdinName.isEmpty || stdinName.contains("/") {
                throw ValidationError("--stdin-name may not be empty or contain '/'")
            }
        }

        static func split(_ spec: String) -> (String, String)? {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else { return nil }
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }

        func run() throws {
            let log = logging.log("backup")
            let sources = paths.isEmpty ? (stdin ? [stdinName ?? "stdin"] : []) + fromCommands.compactMap { Self.split($0)?.0 } : paths
            let (result, warnings) = try log.around(["sources": .string(sources.joined(separator: ","))], end: { made in
                let s = made.result.snapshot.summary
                return ["snapshot": .string(made.result.id.hex), "files": .stringConvertible(s?.files ?? 0),
                        "bytes_read": .stringConvertible(Int(s?.bytesRead ?? 0)), "bytes_new": .stringConvertible(Int(s?.bytesNew ?? 0)),
                        "seconds": .stringConvertible(((s?.duration ?? 0) * 1000).rounded() / 1000),
                        "unreadable": .stringConvertible(made.warnings.count)]
            }) { try backUp() }
            if !warnings.isEmpty {
                Terminal.printError((dryRun ? "a snapshot would be made" : "snapshot \(result.id.short) was made")
                    + ", but \(warnings.count) source\(warnings.count == 1 ? " was" : "s were") unreadable")
                throw ExitCode(ExitStatus.partialBackup.rawValue)
            }
        }

        private func backUp() throws -> (result: (id: BlobID, snapshot: Snapshot), warnings: [Archiver.Warning]) {
            // Peak RSS of a million-file backup 91 → 73 MiB, a 1 GB stream's unchanged (bench/scale, 2026-12-02).
            Posix.fixLargeAllocationThreshold(4 << 20)
            let repo = try repository.open()
            let lock = try locking.lock(repo, exclusive: false, operation: "backup")
            defer { lock.release() }
            let index = try repo.loadIndex()
            let progress = Progress(quiet: output.quiet)
            let result: (id: BlobID, snapshot: Snapshot)
            var warnings: [Archiver.Warning] = []
            if paths.isEmpty {
                var sources: [StreamArchiver.Source] = []
                if stdin { sources.append(.standardInput(name: stdinName ?? "stdin")) }
                for spec in fromCommands {
                    let (name, command) = Self.split(spec)!
                    sources.append(.command(name: name, commandLine: command))
                }
                let archiver = try StreamArchiver(repository: repo, index: index, tags: tags, hostname: host)
                archiver.onProgress = { progress.update(bytes: $0) }
                archiver.requireOutput = requireOutput
                archiver.dryRun = dryRun
                do {
                    result = try archiver.backup(sources)
                } catch {
                    progress.finish()
                    throw error
                }
                for name in archiver.emptySources {
                    progress.finish()
                    Terminal.warn("\(name) was empty (0 bytes): check the command or pipe that feeds it (--require-output makes this an error)")
                }
            } else {
                let archiver = try Archiver(repository: repo, index: index,
                                            cache: noCache ? .disabled : .load(repository: repo.id),
                                            options: { var o = Archiver.Options(); o.excludes = excludes; o.tags = tags; o.hostname = host; o.dryRun = dryRun; return o }())
                archiver.onWarning = { warning in
                    progress.finish()
                    Terminal.warn("\(warning.path): \(warning.message)")
                }
                archiver.onProgress = { progress.update(bytes: $0, files: $1) }
                archiver.onUnchanged = { progress.skip(bytes: $0) }
                if progress.isShown { progress.setTotal(archiver.totalBytes(of: paths)) }
                result = try archiver.backup(paths: paths)
                warnings = archiver.warnings
            }
            progress.finish()
            try report(result, warnings: warnings)
            if !dryRun { try recordInCatalog(result, repository: repo, partial: !warnings.isEmpty) }
            return (result, warnings)
        }

        private func report(_ result: (id: BlobID, snapshot: Snapshot), warnings: [Archiver.Warning]) throws {
            let s = result.snapshot.summary!
            if output.json {
                try Terminal.printJSON(BackupJSON(snapshot: dryRun ? nil : SnapshotJSON(SnapshotEntry(id: result.id, snapshot: result.snapshot)),
                                                  summary: s, unreadable: warnings))
            } else if !output.quiet && dryRun {
                print("would back up \(s.files) files and \(s.directories) directories, \(Terminal.formatBytes(Int(s.bytesRead))) read, "
                      + "\(Terminal.formatBytes(Int(s.bytesNew))) of it new (dry run: nothing was written)")
            } else if !output.quiet {
                print("snapshot \(result.id.short) saved: \(s.files) files, \(Terminal.formatBytes(Int(s.bytesRead))) read, "
                      + "\(Terminal.formatBytes(Int(s.bytesNew))) new, \(Terminal.formatBytes(Int(s.bytesStored))) stored, "
                      + String(format: "%.2f s", s.duration))
            }
        }
    }
}

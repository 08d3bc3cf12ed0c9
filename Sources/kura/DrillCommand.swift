import ArgumentParser
import Foundation
import KuraCatalog
import KuraMedia
import KuraRepository
import KuraSystem
import Logging

extension Kura {
    struct Drill: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drill",
            abstract: "Restore drills: prove a snapshot restores and loads, timed, and record it in the catalog.",
            discussion: """
            kura drill [SNAPSHOT] [options] is kura drill run; see kura drill run --help for its options. A database \
            dump is drilled into a new, empty database with psql stopping at the first error \
            (--restore-command 'psql -X -q -v ON_ERROR_STOP=1 --dbname=DB'), dropped afterwards: kura drill run \
            --help shows the recipe, scripts/drill-postgres runs it. A restore or verify command that exits \
            non-zero fails the drill: it is recorded as failed and kura exits 1.
            """,
            subcommands: [Run.self, List.self],
            defaultSubcommand: Run.self)
    }
}

extension Kura.Drill {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Restore a snapshot as a drill, check every byte, run a verify command, and record the result.",
            discussion: """
            Into a directory: the snapshot is restored into --target (which must be empty or absent) or a scratch \
            directory, then every restored file is read back and each chunk hashed against the snapshot; the \
            directory is removed afterwards unless --keep. Into a command: the one file of a stream snapshot (or \
            --file NAME) is piped into --restore-command's standard input; its standard output goes to standard \
            error, and a non-zero exit fails the drill. Then --verify-command runs (in the restored directory, if \
            any); a non-zero exit fails the drill. Both commands see KURA_DRILL_SNAPSHOT and KURA_DRILL_REPOSITORY, the \
            verify command also KURA_DRILL_DIR in directory mode.

            The drill is recorded in the catalog with the snapshot, its sources, where it was restored from, the \
            bytes, the seconds to restore and check, the result and who ran it: signed with --as NAME, otherwise \
            as an unsigned machine event of this host. A failed drill is recorded too, and kura exits 1.

            A database dump proves itself only when the load can fail. Load it into a new, empty database with \
            psql stopping at the first error, and drop the database afterwards:
              createdb drill_db
              kura drill latest \\
                --restore-command 'psql -X -q -v ON_ERROR_STOP=1 --dbname=drill_db' \\
                --verify-command './count-customers.sh drill_db'
              dropdb drill_db
            scripts/drill-postgres does exactly this (and drops the database even when the drill fails). Dump with \
            pg_dump --no-owner when the drill server lacks the production roles. 'psql -q db' alone exits 0 after \
            SQL errors, into a database that may already hold the tables: such a drill passes whatever the dump holds.
            """)

        @Argument(help: ArgumentHelp("The snapshot: 'latest' or an id prefix.", valueName: "snapshot"))
        var snapshot = "latest"

        @Option(help: ArgumentHelp("Restore from a medium (a tape device or archive file) instead of the repository.", valueName: "path"))
        var fromMedia: String?

        @Option(help: ArgumentHelp("Restore into this directory (empty or absent; removed afterwards unless --keep).", valueName: "dir"))
        var target: String?

        @Option(help: ArgumentHelp("Pipe the stream snapshot's file into this shell command instead of restoring files.", valueName: "command"))
        var restoreCommand: String?

        @Option(help: ArgumentHelp("With --restore-command: which file of the snapshot to pipe, when it holds several.", valueName: "name"))
        var file: String?

        @Option(help: ArgumentHelp("A shell command that checks the restored data; non-zero exit fails the drill.", valueName: "command"))
        var verifyCommand: String?

        @Flag(help: "Keep the restored directory.")
        var keep = false

        @Option(name: .customLong("as"), help: ArgumentHelp(
            "The custodian who runs the drill and signs its record (default: an unsigned record of this host).", valueName: "name"))
        var signer: String?

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var logging: LogOptions

        func validate() throws {
            if fromMedia != nil && !filters.isEmpty { throw ValidationError("--host, --tag and --path choose from the repository, not --from-media") }
            if target != nil && restoreCommand != nil { throw ValidationError("use --target or --restore-command, not both") }
            if file != nil && restoreCommand == nil { throw ValidationError("--file needs --restore-command") }
            if keep && restoreCommand != nil { throw ValidationError("--keep keeps a restored directory; --restore-command makes none") }
        }

        func run() throws {
            let log = logging.log("drill")
            log.start(["snapshot": .string(snapshot), "from": .string(fromMedia ?? "repository")])
            do {
                try drill(log)
            } catch {
                log.failure(error)
                throw error
            }
        }

        private func drill(_ log: EventLog) throws {
            let catalog = try catalog.open()
            var passphrase: String?
            if let signer {
                passphrase = try self.catalog.passphrase(for: signer)()
                try catalog.requireSigner(signer, passphrase: passphrase!)
            }
            if let fromMedia { return try drillFromMedia(fromMedia, catalog: catalog, passphrase: passphrase, log: log) }
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "drill")
            defer { lock?.release() }
            let entry = try filters.resolve(snapshot, in: repo)
            let restorer = try DrillRestorer(repository: repo, index: try repo.loadIndex())
            let progress = Progress(quiet: output.quiet)
            if progress.isShown && restoreCommand == nil {
                progress.setTotal(Int64(try TreeTotals(loader: try BlobLoader(repository: repo, index: try repo.loadIndex()))
                    .totals(of: entry.snapshot.tree).bytes))
            }
            restorer.onProgress = { progress.update(bytes: $0) }
            var environment = ["KURA_DRILL_SNAPSHOT": entry.id.hex, "KURA_DRILL_REPOSITORY": repo.id.hex]
            let directory = restoreCommand == nil ? try DrillDirectory(target: target) : nil
            if let directory { environment["KURA_DRILL_DIR"] = directory.path }

            let start = Date()
            var outcome = DrillRestorer.Outcome()
            var failure: String?
            do {
                if let restoreCommand {
                    let node = try restorer.streamFile(of: entry.snapshot, named: file)
                    outcome = try restorer.pipe(node, into: restoreCommand, environment: environment)
                } else {
                    outcome = try restorer.restore(entry.snapshot, into: directory!.path)
                }
            } catch {
                outcome.seconds = Date().timeIntervalSince(start)
                failure = "restore failed: \(error)"
            }
            progress.finish()
            let verifyOutput = try verify(after: &failure, directory: directory, environment: environment)

            let lastLine = verifyOutput.flatMap(Self.lastLine)
            let run = DrillRun(repositoryID: repo.id.hex, snapshotID: entry.id.hex, host: entry.snapshot.hostname,
                               sources: entry.snapshot.paths, medium: nil, method: restoreCommand == nil ? .directory : .command,
                               restoreCommand: restoreCommand, verifyCommand: verifyCommand, bytes: outcome.bytes,
                               seconds: outcome.seconds, result: failure == nil ? .passed : .failed,
                               detail: Self.oneLine(failure.map { $0 + (lastLine.map { "; it printed: \($0)" } ?? "") } ?? lastLine))
            let record = try signer.map { try catalog.recordDrill(run, as: $0, passphrase: { passphrase! }) }
                ?? catalog.recordDrill(run, reporter: LocalHost.name)
            log.end(["drill": .stringConvertible(Int(record.id)), "result": .string(record.result.rawValue),
                     "bytes": .stringConvertible(Int(record.bytes)), "seconds": .stringConvertible(Double(record.restoreMilliseconds) / 1000)])
            try report(record, outcome: outcome, verifyOutput: verifyOutput, kept: keep ? directory?.path : nil)
            if let failure {
                Terminal.printError("drill \(record.id) of snapshot \(entry.id.short) failed: \(failure)")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }

        /// The drill from a tape or file alone: every chunk is checked against its id as it is decoded, and a
        /// file counts only once all its chunks were written.
        private func drillFromMedia(_ device: String, catalog: Catalog, passphrase: String?, log: EventLog) throws {
            let password = try repository.passwordSource().read()
            let directory = restoreCommand == nil ? try DrillDirectory(target: target) : nil
            var environment = ["KURA_DRILL_MEDIUM": device]
            if let directory { environment["KURA_DRILL_DIR"] = directory.path }
            let restore = MediumRestore(device: device)
            restore.onSkippedSet = { Terminal.warn($0) }
            let progress = Progress(quiet: output.quiet)
            restore.onProgress = { progress.update(bytes: $0) }
            let start = Date()
            var result: MediumRestore.Result?
            var failure: String?
            do {
                if let restoreCommand {
                    // Without --file, the stream's name comes from the labels (on a tape that is a pass of its own:
                    // give --file there). As the restore resolves it, 'latest' is the newest snapshot on the medium.
                    var name = file
                    if name == nil {
                        let labels = try MediumInspector.labels(device: device, password: password)
                        let chosen = snapshot == "latest"
                            ? MediumInspector.newest(in: labels).flatMap { $0.label.details?.origin(of: $0.snapshot.id) }
                            : labels.lazy.compactMap { l in l.snapshots.first { $0.id.hasPrefix(self.snapshot.lowercased()) }.flatMap { l.details?.origin(of: $0.id) } }.first
                        let paths = chosen?.paths ?? []
                        guard paths.count == 1 else {
                            throw CommandFailure("the snapshot holds \(paths.count) files (\(paths.joined(separator: ", "))); say which with --file", exitCode: .usage)
                        }
                        name = paths[0]
                    }
                    Posix.ignoreBrokenPipes()
                    let process = try ChildProcess(shell: restoreCommand, feedInput: true, environment: environment)
                    do {
                        result = try restore.restore(snapshot, password: password, to: .stream(name: name!, output: process.input))
                        process.closeInput()
                    } catch {
                        process.closeInput()
                        _ = process.wait()
                        throw error
                    }
                    switch process.wait() {
                    case .exited(0): break
                    case .exited(let code): failure = "restore command exited with status \(code)"
                    case .signaled(let signal): failure = "restore command was killed by signal \(signal)"
                    }
                } else {
                    result = try restore.restore(snapshot, password: password, to: .directory(directory!.path, IncludeFilter([])))
                }
            } catch let error as RepositoryError where error.code == .wrongPassword {
                directory?.remove()
                throw error
            } catch {
                failure = "restore failed: \(error)"
            }
            progress.finish()
            let verifyOutput = try verify(after: &failure, directory: directory, environment: environment)
            guard let result else {
                throw CommandFailure("drill from \(device) failed before a snapshot was found: \(failure ?? "unknown error")")
            }
            let lastLine = verifyOutput.flatMap(Self.lastLine)
            let run = DrillRun(repositoryID: result.repositoryID, snapshotID: result.snapshotID, host: result.hostname,
                               sources: result.paths, medium: result.serial, method: restoreCommand == nil ? .directory : .command,
                               restoreCommand: restoreCommand, verifyCommand: verifyCommand, bytes: result.bytes,
                               seconds: Date().timeIntervalSince(start), result: failure == nil ? .passed : .failed,
                               detail: Self.oneLine(failure.map { $0 + (lastLine.map { "; it printed: \($0)" } ?? "") } ?? lastLine))
            let record = try signer.map { try catalog.recordDrill(run, as: $0, passphrase: { passphrase! }) }
                ?? catalog.recordDrill(run, reporter: LocalHost.name)
            log.end(["drill": .stringConvertible(Int(record.id)), "result": .string(record.result.rawValue),
                     "bytes": .stringConvertible(Int(record.bytes)), "seconds": .stringConvertible(Double(record.restoreMilliseconds) / 1000)])
            var outcome = DrillRestorer.Outcome()
            outcome.bytes = result.bytes
            outcome.files = result.files
            outcome.seconds = run.seconds
            try report(record, outcome: outcome, verifyOutput: verifyOutput, kept: keep ? directory?.path : nil)
            if let failure {
                Terminal.printError("drill \(record.id) of snapshot \(result.snapshotID.prefix(8)) from \(device) failed: \(failure)")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }

        /// Runs --verify-command unless the restore already failed, records its failure, and removes the
        /// scratch directory unless --keep; returns what the command printed.
        private func verify(after failure: inout String?, directory: DrillDirectory?, environment: [String: String]) throws -> String? {
            defer { if let directory, !keep { directory.remove() } }
            guard failure == nil, let verifyCommand else { return nil }
            let (status, printed) = try DrillRestorer.verify(verifyCommand, directory: directory?.path, environment: environment)
            switch status {
            case .exited(0): break
            case .exited(let code): failure = "verify command exited with status \(code)"
            case .signaled(let signal): failure = "verify command was killed by signal \(signal)"
            }
            return printed
        }

        private func report(_ record: DrillRecord, outcome: DrillRestorer.Outcome, verifyOutput: String?, kept: String?) throws {
            if output.json {
                return try Terminal.printJSON(DrillOutput(drill: DrillJSON(record), files: outcome.files, directories: outcome.directories,
                                                          symlinks: outcome.symlinks, verifyOutput: verifyOutput, keptDirectory: kept))
            }
            if output.quiet && record.passed { return }
            if let verifyOutput, !verifyOutput.isEmpty { print(verifyOutput, terminator: verifyOutput.hasSuffix("\n") ? "" : "\n") }
            print("drill \(record.id) of snapshot \(record.snapshotID.prefix(8)) (\(record.sources.values.joined(separator: " "))): "
                + "\(record.result.rawValue); \(Terminal.formatBytes(Int(record.bytes))) restored and checked in "
                + String(format: "%.2f s", Double(record.restoreMilliseconds) / 1000) + "; recorded as event \(record.id) by \(record.performedBy)")
            if let kept { print("restored files kept in \(kept)") }
        }

        /// The last non-empty line of a command's output.
        static func lastLine(_ text: String) -> String? {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
        }

        /// A catalog-safe single line of at most 300 characters.
        static func oneLine(_ text: String?) -> String? {
            guard let text else { return nil }
            let clean = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
            let trimmed = clean.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            return trimmed.count > 300 ? String(trimmed.prefix(299)) + "…" : trimmed
        }
    }

    /// What `kura drill --json` prints.
    struct DrillOutput: Encodable {
        var drill: DrillJSON
        var files: Int
        var directories: Int
        var symlinks: Int
        var verifyOutput: String?
        var keptDirectory: String?

        enum CodingKeys: String, CodingKey {
            case drill, files, directories, symlinks, verifyOutput = "verify_output", keptDirectory = "kept_directory"
        }
    }
}

/// Where a directory drill restores: `--target` (empty or absent) or a new scratch directory; removed afterwards.
struct DrillDirectory {
    let path: String

    init(target: String?) throws {
        if let target {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && !isDirectory.boolValue {
                throw CommandFailure("--target \(target) exists and is not a directory; a drill restores into an empty or new directory", exitCode: .usage)
            }
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: target), !entries.isEmpty {
                throw CommandFailure("--target \(target) is not empty; a drill restores into an empty or new directory", exitCode: .usage)
            }
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            path = target
        } else {
            var template = Array((FileManager.default.temporaryDirectory.path + "/kura-drill-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw CommandFailure("cannot create a scratch directory in \(FileManager.default.temporaryDirectory.path)")
            }
            path = String(cString: made)
        }
    }

    /// Removes the directory and what was restored into it, making read-only directories writable first.
    func remove() {
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let name = walker.nextObject() as? String {
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { chmod(path + "/" + name, 0o700) }
            }
        }
        chmod(path, 0o700)
        try? FileManager.default.removeItem(atPath: path)
    }
}

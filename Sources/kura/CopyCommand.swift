import ArgumentParser
import Foundation
import KuraRepository

extension Kura {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy snapshots from another repository into this one.",
            discussion: """
            kura copy --repo /srv/offsite --from-repo /srv/kura copies every snapshot of /srv/kura that \
            /srv/offsite does not hold yet; name snapshots, or choose them with --host, --tag and --path. \
            Chunk ids are keyed per repository, so each chunk is read and verified in the source and \
            stored again under the destination's keys; only chunks the destination lacks are sent. A \
            snapshot copied before (the copy records its origin) is skipped, so running copy again, or \
            after an interruption, sends only what is missing. Both keys must be able to read (not \
            write-only). The source's password: --from-password-file, --from-password-command, \
            KURA_FROM_PASSWORD_FILE or KURA_FROM_PASSWORD.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("The repository to copy from (default: $KURA_FROM_REPO).", valueName: "repository"))
        var fromRepo: String?

        @Option(help: ArgumentHelp("Read the source repository's password from the first line of this file (default: $KURA_FROM_PASSWORD_FILE).",
                                   valueName: "file"))
        var fromPasswordFile: String?

        @Option(help: ArgumentHelp("Run this shell command and use the first line it prints as the source repository's password.",
                                   valueName: "command"))
        var fromPasswordCommand: String?

        @Argument(help: ArgumentHelp("Snapshots to copy (ids or unique prefixes, or latest); none: every snapshot that passes the filters.",
                                     valueName: "snapshot"))
        var snapshots: [String] = []

        @OptionGroup var filters: SnapshotFilterOptions

        @Option(help: ArgumentHelp("Record each copy in this catalog (default: $KURA_CATALOG; neither: not recorded).", valueName: "path"))
        var catalog: String?

        var sourceLocation: String {
            get throws {
                if let fromRepo, !fromRepo.isEmpty { return fromRepo }
                if let repo = ProcessInfo.processInfo.environment["KURA_FROM_REPO"], !repo.isEmpty { return repo }
                throw ValidationError("no source repository given: pass --from-repo or set KURA_FROM_REPO")
            }
        }

        func validate() throws {
            if !snapshots.isEmpty && !filters.isEmpty {
                throw ValidationError("name snapshots or choose them with --host/--tag/--path, not both")
            }
            if fromPasswordFile != nil && fromPasswordCommand != nil {
                throw ValidationError("give --from-password-file or --from-password-command, not both")
            }
        }

        func run() throws {
            let sourcePassword = try SecretSource(file: fromPasswordFile, command: fromPasswordCommand, environmentName: "KURA_FROM_PASSWORD",
                                                  prompt: "source repository password: ").read()
            let sourceBackend = try RepositoryOptions.backend(at: try sourceLocation)
            let source = try Repository.open(backend: sourceBackend, password: sourcePassword, warn: { Terminal.warn("source: " + $0) })
            let destination = try repository.open()
            let sourceLock = try locking.lock(source, exclusive: false, operation: "copy (source)")
            defer { sourceLock.release() }
            let destinationLock = try locking.lock(destination, exclusive: false, operation: "copy")
            defer { destinationLock.release() }

            let copier = try SnapshotCopier(from: source, to: destination)
            let chosen: [SnapshotEntry]
            if snapshots.isEmpty {
                chosen = try filters.snapshots(in: source)
            } else {
                var seen = Set<BlobID>()
                chosen = try snapshots.map { try source.resolveSnapshot($0) }.filter { seen.insert($0.id).inserted }
            }
            let present = try copier.originsInDestination()
            let progress = Progress(quiet: output.quiet || output.json)
            copier.onProgress = { progress.update(bytes: Int64($0)) }
            var results: [CopyResult] = []
            let recorder = try CopyCatalogRecorder(catalogPath: catalog)
            for entry in chosen {
                let origin = SnapshotCopier.origin(of: entry, in: source)
                if present.contains(origin) {
                    results.append(CopyResult(source: entry, copy: nil))
                    if !output.quiet && !output.json { print("snapshot \(entry.id.short) is already in the destination: skipped") }
                    continue
                }
                let before = copier.statistics
                let start = Date()
                let copyID = try copier.copy(entry)
                let after = copier.statistics
                progress.finish()
                let result = CopyResult(source: entry, copy: try destination.resolveSnapshot(copyID.hex), blobsNew: after.blobsNew - before.blobsNew,
                                        bytesStored: after.bytesStored - before.bytesStored, seconds: Date().timeIntervalSince(start))
                results.append(result)
                try recorder?.record(result, from: source, to: destination)
                if !output.quiet && !output.json {
                    print("snapshot \(entry.id.short) copied as \(copyID.short): \(result.blobsNew) new chunks, "
                          + "\(Terminal.formatBytes(Int(result.bytesStored))) sent")
                }
            }
            progress.finish()
            if output.json {
                try Terminal.printJSON(CopyJSON(sourceRepositoryID: source.id.hex, destinationRepositoryID: destination.id.hex,
                                                copies: results.map(CopyJSON.Item.init)))
            } else if !output.quiet && chosen.isEmpty {
                print("no snapshot to copy")
            }
        }
    }

    struct CopyResult {
        var source: SnapshotEntry
        /// Nil when the destination already held it.
        var copy: SnapshotEntry?
        var blobsNew = 0
        var bytesStored: Int64 = 0
        var seconds: Double = 0
    }
}

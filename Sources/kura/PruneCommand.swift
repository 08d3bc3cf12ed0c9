import ArgumentParser
import Foundation
import KuraRepository
import Logging

extension Kura {
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Delete data no snapshot uses, repacking partly used packs.",
            discussion: """
            Walks every snapshot to find the blobs in use. Packs with none are deleted; a pack whose unused share \
            is above --max-unused has its used blobs copied into new packs and is deleted; packs in no index \
            (left by an interrupted backup or prune) are deleted; temporary files older than a day are removed. \
            A new index replaces the old one before anything is deleted, so prune can be killed at any moment \
            and leave a healthy repository. Takes an exclusive lock; needs a full key. Holds (read from the \
            repository and from the catalog, as kura forget does) keep their snapshots' data: prune refuses (exit 20) \
            while a held snapshot's file is missing.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var catalog: CatalogLocationOptions
        @OptionGroup var logging: LogOptions

        @Option(help: ArgumentHelp("Repack a pack when more than this share of it is unused: a percentage (e.g. 5 or 5%) or "
            + "'unlimited' (never repack).", valueName: "percent"))
        var maxUnused: UnusedLimit = .default

        @Flag(help: "Only say what would be deleted and written.")
        var dryRun = false

        func run() throws {
            let (report, holds) = try logging.log("prune").around(["dry_run": .stringConvertible(dryRun)], end: Self.logFields) {
                let repo = try repository.open()
                try repo.requireFullKey(to: "prune")
                let lock = try locking.lock(repo, exclusive: true, operation: "prune")
                defer { lock.release() }
                let holds = try SnapshotHolds.gather(repo, catalog: try catalog.openIfExists(), reconcile: !dryRun)
                let report = try Self.prune(repo, maxUnused: maxUnused, dryRun: dryRun, holds: holds)
                return (report: report, holds: holds)
            }
            if output.json {
                try Terminal.printJSON(report)
            } else if !output.quiet {
                Self.print(report)
                Self.printReconciled(holds)
            }
        }

        /// What `prune.end` logs.
        private static func logFields(_ result: (report: Pruner.Report, holds: SnapshotHolds)) -> Logger.Metadata {
            let r = result.report
            let deleted: Int = r.packsDeleted + r.unindexedPacksDeleted
            return ["packs_deleted": .stringConvertible(deleted), "packs_repacked": .stringConvertible(r.packsRepacked),
                    "bytes_before": .stringConvertible(Int(r.bytesBefore)), "bytes_after": .stringConvertible(Int(r.bytesAfter))]
        }

        /// Runs prune on a repository whose exclusive lock the caller holds (also `forget --prune`).
        static func prune(_ repo: Repository, maxUnused: UnusedLimit, dryRun: Bool, holds: SnapshotHolds) throws -> Pruner.Report {
            try holds.requireHeldSnapshotsPresent(in: repo)
            let pruner = Pruner(repository: repo)
            PruneTestHook.install(on: pruner)
            return try pruner.run(Pruner.Options(maxUnused: maxUnused.fraction, dryRun: dryRun))
        }

        /// What reconciling the repository's hold mirrors with the catalog changed, if anything.
        static func printReconciled(_ holds: SnapshotHolds) {
            if holds.mirrorsRemoved > 0 {
                Swift.print("removed \(holds.mirrorsRemoved) hold mirror\(holds.mirrorsRemoved == 1 ? "" : "s") released in the catalog")
            }
            if holds.mirrorsWritten > 0 {
                Swift.print("mirrored \(holds.mirrorsWritten) catalog hold\(holds.mirrorsWritten == 1 ? "" : "s") into the repository")
            }
        }

        static func print(_ r: Pruner.Report) {
            let verb = r.dryRun ? "would " : ""
            Swift.print("\(r.snapshots) snapshots use \(r.usedBlobs) blobs; "
                + "\(Terminal.formatBytes(Int(r.unusedBytesBefore))) of blobs are unused")
            Swift.print("\(verb)delete \(r.packsDeleted) unused packs and \(r.unindexedPacksDeleted) unindexed packs, "
                + "\(verb)repack \(r.packsRepacked) packs into \(r.packsWritten) new ones")
            Swift.print("\(verb)write \(r.indexFilesWritten) index files and delete \(r.indexFilesDeleted); "
                + "\(verb)remove \(r.temporaryFilesRemoved) stale temporary files")
            Swift.print("packs: \(r.packsBefore) -> \(r.packsAfter), \(Terminal.formatBytes(Int(r.bytesBefore))) -> "
                + "\(Terminal.formatBytes(Int(r.bytesAfter)))" + (r.dryRun ? " (estimated)" : ""))
        }
    }
}

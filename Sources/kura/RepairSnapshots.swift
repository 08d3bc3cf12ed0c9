import ArgumentParser
import KuraRepository

extension Kura.Repair {
    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshots",
            abstract: "Rewrite snapshots whose trees or data are missing so that what remains restores.",
            discussion: "A file with a missing data blob keeps the data before it (it is truncated there); a directory whose tree is missing becomes an empty directory. Each repaired snapshot is a new snapshot with the original's time, host and paths and the tag 'repaired'; the original stays unless --forget is given. A snapshot file that does not read, or whose root tree is missing, cannot be saved: --forget removes it. A held snapshot is never forgotten. A blob counts as missing when the index does not name it or its pack is gone; run 'kura check --read-data' to find damage inside packs. Every change is listed.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Say what would be repaired and forgotten; change nothing.")
        var dryRun = false

        @Flag(help: "Forget each original once its repaired snapshot is written, and every snapshot that cannot be saved.")
        var forget = false

        @Argument(help: ArgumentHelp("Snapshot ids (unique prefixes) to repair; default: every snapshot.", valueName: "snapshot"))
        var snapshots: [String] = []

        func run() throws {
            let repo = try repository.open()
            try repo.requireFullKey(to: "repair snapshots")
            let lock = try locking.lock(repo, exclusive: true, operation: "repair snapshots")
            defer { lock.release() }
            let report = try SnapshotRepairer(repository: repo).run(.init(dryRun: dryRun, forget: forget, snapshots: snapshots))
            if output.json {
                try Terminal.printJSON(report)
                return
            }
            guard !output.quiet else { return }
            for item in report.repaired {
                let original = String(item.original.prefix(8))
                if let new = item.repaired {
                    print("snapshot \(original): repaired as \(new.prefix(8))" + (item.forgotten ? "; the original is forgotten" : ""))
                } else {
                    print("snapshot \(original): would be repaired" + (item.forgotten ? " and the original forgotten" : ""))
                }
                for change in item.changes { print("  \(change)") }
            }
            for item in report.unsaveable {
                print("\(item.problem): cannot be saved; "
                    + (item.forgotten ? (dryRun ? "would be forgotten" : "forgotten") : (forget ? "kept: a hold keeps it" : "--forget removes it")))
            }
            print("checked \(report.checked) snapshot(s): \(report.intact) intact, \(report.repaired.count) \(dryRun ? "to repair" : "repaired"), "
                + "\(report.unsaveable.count) cannot be saved")
        }
    }
}

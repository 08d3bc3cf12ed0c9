import ArgumentParser
import KuraRepository

extension Kura.Repair {
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "index",
            abstract: "Rebuild the index from the packs' own headers.",
            discussion: "Reads the header of every pack, writes new index files that list every readable pack (the last one supersedes every old index file), and only then removes the old index files, so an interruption leaves either the old index or the new one in force. A pack whose header does not read keeps the entries an intact old index file gave it; one that no intact index file listed is left out and named. Needs a full key: pack headers are sealed under pack keys.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Say what would be written and removed; change nothing.")
        var dryRun = false

        func run() throws {
            let repo = try repository.open()
            try repo.requireFullKey(to: "rebuild the index (pack headers are sealed under pack keys)")
            let lock = try locking.lock(repo, exclusive: true, operation: "repair index")
            defer { lock.release() }
            let report = try IndexRepairer(repository: repo).run(dryRun: dryRun)
            if output.json {
                try Terminal.printJSON(report)
            } else if !output.quiet {
                let verb = dryRun ? "would write" : "wrote"
                print("read the headers of \(report.packsRead) of \(report.packs) packs (\(report.blobs) blobs)")
                if !report.packsFromOldIndex.isEmpty {
                    print("kept the old index entries of \(report.packsFromOldIndex.count) pack(s) whose header does not read")
                }
                for pack in report.packsUnreadable { print("left out pack \(pack): its header does not read and no intact index file lists it") }
                print("\(verb) \(report.indexFilesWritten) index file(s); \(dryRun ? "would remove" : "removed") \(report.indexFilesRemoved) old one(s)"
                    + (report.indexFilesDamaged.isEmpty ? "" : ", \(report.indexFilesDamaged.count) of them damaged"))
            }
            if !report.packsUnreadable.isEmpty {
                throw CommandFailure("\(report.packsUnreadable.count) pack(s) could not be read; their blobs are not in the index (kura check names the snapshots affected)")
            }
        }
    }
}

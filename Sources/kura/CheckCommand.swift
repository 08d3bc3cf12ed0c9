import ArgumentParser
import KuraRepository

extension Kura {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the repository's structure and, with --read-data, every byte of its packs.",
            discussion: "Structure: key slots decode and match their checksums, index files decrypt, every indexed pack exists at its size, every snapshot and tree decrypts and every blob they name is indexed. Each damaged key slot, index file and snapshot file is named. A file deleted outside kura is reported when another record expects it: a snapshot that a hold mirrored into the repository names, and a key slot when no intact full one is left. With --read-data every blob is decrypted, decompressed and its id recomputed. Damage is reported by pack, with the snapshots and paths it affects; kura exits 1 when anything is damaged ('kura repair' wins back what it can). Takes an exclusive lock.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var locking: LockOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Read and verify every blob of every pack.")
        var readData = false

        @Option(help: ArgumentHelp("Read and verify a random PERCENT of the packs (e.g. 10 or 10%).", valueName: "percent"))
        var readDataSubset: String?

        func validate() throws {
            if readData && readDataSubset != nil { throw ValidationError("use --read-data or --read-data-subset, not both") }
            if let readDataSubset, fraction(readDataSubset) == nil {
                throw ValidationError("--read-data-subset wants a percentage above 0 and at most 100, got '\(readDataSubset)'")
            }
        }

        private func fraction(_ text: String) -> Double? {
            let number = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let value = Double(number), value > 0, value <= 100 else { return nil }
            return value / 100
        }

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, exclusive: true, operation: "check")
            defer { lock.release() }
            let readFraction: Double? = readData ? 1 : readDataSubset.flatMap(fraction)
            let report = try Checker(repository: repo).run(readDataFraction: readFraction)
            if output.json {
                try Terminal.printJSON(report)
            } else {
                for warning in report.warnings { Terminal.warn(warning) }
                for error in report.errors { Terminal.printError(error) }
                if !output.quiet || !report.isHealthy {
                    var line = "checked \(report.indexFiles) index files, \(report.packs) packs, \(report.snapshots) snapshots, \(report.trees) trees"
                    if readFraction != nil { line += "; read \(report.packsRead) packs, \(report.blobsRead) blobs" }
                    print(line)
                    print(report.isHealthy ? "no errors found" : "\(report.errors.count) error\(report.errors.count == 1 ? "" : "s") found")
                }
            }
            if !report.isHealthy { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraRepository

extension Kura.Hold {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a hold on a snapshot (legal, audit, incident): kura forget keeps it.",
            discussion: "An id prefix is resolved from the repository's file names, without its password; 'latest' needs the password.")

        @Argument(help: ArgumentHelp("The snapshot: an id prefix, or 'latest'.", valueName: "snapshot"))
        var snapshot: String

        @Option(help: ArgumentHelp("Why, e.g. the case or audit reference.", valueName: "text"))
        var reason: String

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let path = try repository.repositoryPath
            let repositoryID = try Repository.readConfig(at: path).id
            let snapshotID = snapshot == "latest"
                ? try repository.open().resolveSnapshot("latest").id
                : try Repository.snapshotID(at: path, prefix: snapshot)
            let catalog = try catalog.open()
            let hold = try catalog.placeSnapshotHold(repositoryID: repositoryID.hex, snapshotID: snapshotID.hex, reason: reason,
                                                     as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            if output.json {
                try Terminal.printJSON(hold)
            } else if !output.quiet {
                print("hold \(hold.id) on snapshot \(snapshotID.short) of repository \(repositoryID.short) signed by \(hold.placedBy): \(hold.reason)")
            }
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraRepository

extension Kura.Hold {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Put a hold on a snapshot (legal, audit, incident): kura forget keeps it.",
            discussion: """
            The hold is a signed event in the catalog and is mirrored into the repository (holds/, sealed to the \
            repository's key), so kura forget and prune honour it even without this catalog. Needs the repository \
            password (a write-only key will do).
            """)

        @Argument(help: ArgumentHelp("The snapshot: an id prefix, or 'latest'.", valueName: "snapshot"))
        var snapshot: String

        @Option(help: ArgumentHelp("Why, e.g. the case or audit reference.", valueName: "text"))
        var reason: String

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let repo = try repository.open()
            let repositoryID = repo.id
            let snapshotID = snapshot == "latest"
                ? try repo.resolveSnapshot("latest").id
                : try Repository.snapshotID(in: repo.backend, prefix: snapshot)
            let catalog = try catalog.open()
            let hold = try catalog.placeSnapshotHold(repositoryID: repositoryID.hex, snapshotID: snapshotID.hex, reason: reason,
                                                     as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            guard let event = try catalog.event(hold.id) else { throw CommandFailure("hold \(hold.id) has no event in the catalog") }
            let mirror = try repo.mirrorHold(HoldMirror(hold, event: event.hash))
            if output.json {
                try Terminal.printJSON(HoldJSON(hold))
            } else if !output.quiet {
                print("hold \(hold.id) on snapshot \(snapshotID.short) of repository \(repositoryID.short) signed by \(hold.placedBy): \(hold.reason)")
                print("mirrored into the repository as holds/\(mirror.short)")
            }
        }
    }
}

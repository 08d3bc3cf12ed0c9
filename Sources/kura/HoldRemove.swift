import ArgumentParser
import Foundation
import KuraCatalog
import KuraRepository

extension Kura.Hold {
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Release a hold on a snapshot; must be a different custodian from the one who placed it.",
            discussion: """
            With a repository (--repo or KURA_REPO), also removes the hold's mirror from it; that needs a full key \
            (a write-only key exits 12 before anything is released). Without one, the mirror is removed the next \
            time kura forget or prune runs on the repository with this catalog; until then it still holds there.
            """)

        @Argument(help: ArgumentHelp("The held snapshot: an id prefix.", valueName: "snapshot"))
        var snapshot: String

        @Option(help: ArgumentHelp("Which hold, when the snapshot has several (see kura hold list).", valueName: "id"))
        var hold: Int64?

        @OptionGroup var signer: SignerOption
        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            // The repository first: a write-only key is refused before the catalog releases anything.
            let repo = repository.location == nil ? nil : try repository.open()
            if let repo, repo.isWriteOnly {
                throw CommandFailure("this key is write-only: it cannot remove a hold from the repository; "
                    + "release the hold with a full key, or without --repo", exitCode: .wrongPasswordOrKey)
            }
            let catalog = try catalog.open()
            let released = try catalog.releaseSnapshotHold(snapshotPrefix: snapshot, hold: hold, as: signer.name,
                                                           passphrase: self.catalog.passphrase(for: signer.name))
            var mirrorNote = "its mirror in the repository is removed the next time kura forget or prune runs there with this catalog"
            if let repo, released.repositoryID == repo.id.hex, let event = try catalog.event(released.id) {
                let removed = try repo.removeHoldMirrors(event: event.hash)
                mirrorNote = removed > 0 ? "removed its mirror from the repository" : "the repository had no mirror of it"
            }
            if output.json {
                try Terminal.printJSON(HoldJSON(released))
            } else if !output.quiet {
                print("hold \(released.id) on snapshot \(released.snapshotID.prefix(8)) released by \(released.releasedBy ?? signer.name); "
                    + mirrorNote)
            }
        }
    }
}

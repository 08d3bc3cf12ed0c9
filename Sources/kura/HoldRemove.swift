import ArgumentParser
import KuraCatalog

extension Kura.Hold {
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release a hold on a snapshot; must be a different custodian from the one who placed it.")

        @Argument(help: ArgumentHelp("The held snapshot: an id prefix.", valueName: "snapshot"))
        var snapshot: String

        @Option(help: ArgumentHelp("Which hold, when the snapshot has several (see kura hold list).", valueName: "id"))
        var hold: Int64?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let released = try catalog.open().releaseSnapshotHold(snapshotPrefix: snapshot, hold: hold, as: signer.name,
                                                                  passphrase: catalog.passphrase(for: signer.name))
            if output.json {
                try Terminal.printJSON(released)
            } else if !output.quiet {
                print("hold \(released.id) on snapshot \(released.snapshotID.prefix(8)) released by \(released.releasedBy ?? signer.name)")
            }
        }
    }
}

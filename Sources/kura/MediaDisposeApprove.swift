import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "Approve a disposal request; must be a different custodian from the requester. The rules are checked again.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { DisposalApproved(serial: $0) }
        }
    }
}

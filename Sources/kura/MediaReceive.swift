import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "receive",
            abstract: "Record receipt of an in-transit medium; must be a different custodian from the one who sent it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { MediumReceived(serial: $0) }
        }
    }
}

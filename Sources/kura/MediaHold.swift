import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Put a legal or audit hold on a medium: it cannot be disposed of until a different custodian releases it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Why, e.g. the case or audit reference.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { HoldPlaced(serial: $0, reason: reason) }
        }
    }
}

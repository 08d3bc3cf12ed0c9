import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Validate a recorded sanitization; must be a different custodian from the performer. Completes the disposal.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { SanitizationValidated(serial: $0) }
        }
    }
}

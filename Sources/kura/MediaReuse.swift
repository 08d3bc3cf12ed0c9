import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Reuse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reuse",
            abstract: "Return a sanitized medium (validated for internal reuse) to use: sanitized -> new.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { MediumReused(serial: $0) }
        }
    }
}

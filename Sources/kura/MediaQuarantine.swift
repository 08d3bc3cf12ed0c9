import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Quarantine: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quarantine",
            abstract: "Quarantine a suspect medium (read errors, damage): it takes no more sets; it may then be disposed of.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Why.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { MediumQuarantined(serial: $0, reason: reason) }
        }
    }
}

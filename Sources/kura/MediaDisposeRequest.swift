import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "request", abstract: "Request the disposal of a medium (disposal rule 1).")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Why it should be disposed of.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { DisposalRequested(serial: $0, reason: reason) }
        }
    }
}

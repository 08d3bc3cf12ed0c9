import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Found: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "found", abstract: "Record that a lost medium was found; it returns to its prior state.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Where it was found: onsite:ROOM or offsite:VAULT (default: its last known location).",
                                   valueName: "location"))
        var location: String?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let location {
                do { _ = try Location(parsingPlace: location) } catch let error as CatalogError { throw ValidationError(error.message) }
            }
        }

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { MediumFound(serial: $0, location: location) }
        }
    }
}

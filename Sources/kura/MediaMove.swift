import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move",
            abstract: "Hand a medium to a courier for another location; it is in transit until a different custodian receives it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Destination: offsite:VAULT or onsite:ROOM.", valueName: "location"))
        var to: String

        @Option(help: ArgumentHelp("The courier carrying it (the medium is at in-transit:COURIER meanwhile).", valueName: "courier"))
        var via: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            do { _ = try Location(parsingPlace: to) } catch let error as CatalogError { throw ValidationError(error.message) }
        }

        func run() throws {
            try catalog.signMediumStep(serial, as: signer, output: output) { MediumMoved(serial: $0, to: to, courier: via) }
        }
    }
}

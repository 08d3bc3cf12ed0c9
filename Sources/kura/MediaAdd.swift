import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a medium by its serial number; it starts as new.")

        @Argument(help: ArgumentHelp("The cartridge-memory serial of a tape, or the drive serial of a disk.", valueName: "serial"))
        var serial: String

        @Option(name: .customLong("type"), help: ArgumentHelp("Media type: LTO-8, LTO-9, HDD, SSD, ...", valueName: "type"))
        var mediaType: String

        @Option(help: ArgumentHelp("The barcode label, e.g. CRM001L9.", valueName: "barcode"))
        var barcode: String?

        @Option(help: ArgumentHelp("Native capacity as printed, e.g. 18TB.", valueName: "capacity"))
        var capacity: String?

        @Option(help: ArgumentHelp("Your organization's property (asset) number.", valueName: "number"))
        var propertyNumber: String?

        @Option(help: ArgumentHelp("Manufacturer or vendor.", valueName: "make"))
        var make: String?

        @Option(help: ArgumentHelp("Model number.", valueName: "model"))
        var model: String?

        @Option(help: ArgumentHelp("Classification of the data it will hold (printed on its certificate).", valueName: "text"))
        var classification = "confidential"

        @Option(help: ArgumentHelp("Where it is: onsite:ROOM or offsite:VAULT.", valueName: "location"))
        var location = "onsite:main"

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            do { _ = try Location(parsingPlace: location) } catch let error as CatalogError {
                throw ValidationError(error.message)
            }
        }

        func run() throws {
            let catalog = try catalog.open()
            let change = CatalogChange(MediumAdded(
                serial: serial, mediaType: mediaType, barcode: barcode, capacity: capacity, propertyNumber: propertyNumber,
                make: make, model: model, classification: classification, location: location))
            let event = try catalog.append(change, as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

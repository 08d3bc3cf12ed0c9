import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a medium by its serial number; it starts as new.")

        @Argument(help: ArgumentHelp("The cartridge-memory serial of a tape, or the drive serial of a disk.", valueName: "serial"))
        var serial: String

        @Option(name: .customLong("type"), help: ArgumentHelp("Media type: LTO-8, LTO-9, HDD, SSD, ...", valueName: "type"))
        var mediaType: String

        @Option(help: ArgumentHelp("The barcode label, e.g. CRM001L9.", valueName: "barcode"))
        var barcode: String?

        @Option(help: ArgumentHelp("Native capacity as printed, with its unit and at least 1 MB, e.g. 18TB (KB, MB, GB, TB decimal; K, M, G, T, KiB, ... binary).",
                                   valueName: "capacity"))
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
            if let capacity {
                guard let bytes = ByteSize.parse(capacity), ByteSize.hasUnit(capacity) else {
                    throw ValidationError("--capacity '\(capacity)' is not a size with a unit, such as 18TB, 800GB or 1.5TiB")
                }
                guard bytes >= 1_000_000 else {
                    throw ValidationError("--capacity '\(capacity)' is \(bytes) bytes, below 1 MB: give the medium's native capacity, such as 18TB")
                }
            }
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

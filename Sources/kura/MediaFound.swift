import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Found: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a lost medium was found; it returns to its prior state.")

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
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(MediumFound(serial: serial, location: location)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record receipt of an in-transit medium; must be a different custodian from the one who sent it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(MediumReceived(serial: serial)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a legal or audit hold on a medium: it cannot be disposed of until a different custodian releases it.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Why, e.g. the case or audit reference.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(HoldPlaced(serial: serial, reason: reason)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Reuse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return a sanitized medium (validated for internal reuse) to use: sanitized -> new.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(MediumReused(serial: serial)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

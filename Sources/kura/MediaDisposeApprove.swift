import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a disposal request; must be a different custodian from the requester. The rules are checked again.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(DisposalApproved(serial: serial)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

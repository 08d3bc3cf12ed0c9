import ArgumentParser
import KuraCatalog

extension Kura.Custodian {
    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "Approve a pending custodian; two different active custodians must, neither the newcomer.")

        @Argument(help: ArgumentHelp("The pending custodian.", valueName: "name"))
        var name: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let event = try catalog.append(CatalogChange(CustodianApproved(name: name)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, output: output)
        }
    }
}

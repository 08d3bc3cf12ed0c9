import ArgumentParser
import KuraCatalog

extension Kura.Custodian {
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a custodian: they sign nothing more; what they signed stays valid.")

        @Argument(help: ArgumentHelp("The custodian to revoke.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Why, for the audit log.", valueName: "text"))
        var reason: String?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let event = try catalog.append(CatalogChange(CustodianRevoked(name: name, reason: reason)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, output: output)
        }
    }
}

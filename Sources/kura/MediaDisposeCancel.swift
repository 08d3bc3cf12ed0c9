import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Withdraw a disposal request, or its approval, before a sanitization is recorded.",
            discussion: """
            Allowed while the medium is disposal-requested or disposal-approved and no sanitization has been \
            recorded (else exit 20, rule cancel-before-sanitization); any active custodian may cancel. The medium \
            returns to the state it was in when the disposal was requested. The request stays in the log and in \
            `media show`, marked cancelled; `report` no longer lists it as pending.
            """)

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("Why the disposal is withdrawn.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give a --reason") }
        }

        func run() throws {
            let catalog = try catalog.open()
            let medium = try catalog.medium(serial)
            guard let disposal = try catalog.state().openDisposal(of: medium.serial) else {
                throw CatalogError.refused(.stateTransition, "medium \(medium.serial) is \(medium.state.rawValue) "
                    + "and has no open disposal request to cancel")
            }
            let change = CatalogChange(DisposalCancelled(serial: medium.serial, disposal: disposal.id, reason: reason))
            let event = try catalog.append(change, as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(medium.serial), output: output)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Custodian {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol yourself as a custodian: creates your Ed25519 key, sealed under your passphrase.",
            discussion: """
            Run by the new custodian. The passphrase comes from $KURA_CUSTODIAN_PASSWORD_FILE, \
            $KURA_CUSTODIAN_PASSWORD or a prompt (asked twice). The enrolment event is signed with the new key.
            """)

        @Argument(help: ArgumentHelp("Your name as you will type it after --as.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Your job title (printed on certificates).", valueName: "title"))
        var title: String

        @Option(name: [.customLong("org"), .customLong("organization")],
                help: ArgumentHelp("Your organization (printed on certificates).", valueName: "organization"))
        var organization: String

        @Option(help: ArgumentHelp("Your phone number (printed on certificates).", valueName: "phone"))
        var phone: String?

        @Option(help: ArgumentHelp("Where you work, e.g. a site or office (printed on certificates).", valueName: "location"))
        var location: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let passphrase = try self.catalog.passphrase(for: name, confirm: true)()
            guard !passphrase.isEmpty else { throw CommandFailure("the passphrase is empty", exitCode: .usage) }
            let created = try SealedSigningKey.create(for: name, passphrase: passphrase)
            let event = try catalog.enrol(CustodianAdded(name: name, title: title, organization: organization, phone: phone,
                                                         location: location, key: created.key),
                                          secretKey: created.secretKey)
            let status = try catalog.state().custodians[name]?.status ?? .pending
            try AuditEventOutput.print(event, output: output)
            if !output.json && !output.quiet && status == .pending {
                print("\(name) is pending: two active custodians must run `kura custodian approve \(name) --as NAME`")
            }
        }
    }
}

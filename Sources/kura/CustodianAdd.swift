import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Custodian {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Enrol yourself as a custodian: creates your Ed25519 key, sealed under your passphrase.",
            discussion: """
            Run by the new custodian. With --machine, HOST is a machine signer for unattended work (a weekly \
            media write from cron): its key is sealed under the host secret in --custodian-password-file or \
            $KURA_CUSTODIAN_PASSWORD_FILE (required, mode 0600 or stricter, else refused), never a prompt. A machine \
            is pending until two custodians approve it, like any newcomer, and then signs only backup records, \
            media write and verify, drills and copies: a disposal step, a hold release or an approval signed by a \
            machine is refused (exit 20, rules machine-cannot-sign-disposal, machine-cannot-release-hold, \
            machine-cannot-approve-enrolment, machine-signs-machine-work).

            A person's passphrase comes from $KURA_CUSTODIAN_PASSWORD_FILE, \
            $KURA_CUSTODIAN_PASSWORD or a prompt (asked twice). The enrolment event is signed with the new key.

            On a catalog created with a trust anchor (`kura catalog init --trust-anchor`), give your X.509 \
            certificate issued under that CA with --certificate and its private key with --certificate-key: the \
            key signs a challenge naming this catalog, your name and your new key, and the certificate and \
            that proof go into the enrolment event. Without them the enrolment is refused (exit 20, rule \
            certificate-required); so is a certificate that does not chain to the anchor or is not valid now, a \
            key that is not the certificate's (certificate-trusted, certificate-key-possession), and a \
            certificate (by key or subject) that already backs another custodian (one-custodian-per-certificate). \
            The key file is read once and not stored. Without a trust anchor identities are self-asserted and no \
            certificate is accepted.
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

        @Option(help: ArgumentHelp("Your X.509 certificate issued under the catalog's trust anchor (PEM; any "
            + "intermediate CA certificates may follow it in the file).", valueName: "file"))
        var certificate: String?

        @Option(help: ArgumentHelp("The private key of --certificate (unencrypted PEM: Ed25519, ECDSA or RSA); it "
            + "signs the enrolment challenge and is not stored.", valueName: "file"))
        var certificateKey: String?

        @Flag(help: ArgumentHelp("Enrol a machine signer (a host for unattended media writes, verifications and drills), "
            + "its key sealed under the host secret in --custodian-password-file or $KURA_CUSTODIAN_PASSWORD_FILE."))
        var machine = false

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if machine && catalog.passwordFilePath == nil {
                throw ValidationError("a machine signer's key is sealed under a host secret: give --custodian-password-file "
                    + "FILE (mode 0600) or set KURA_CUSTODIAN_PASSWORD_FILE")
            }
            if (certificate == nil) != (certificateKey == nil) {
                throw ValidationError("--certificate and --certificate-key go together: the key proves the certificate is yours")
            }
        }

        func run() throws {
            let evidence = try certificate.map { path in
                Catalog.EnrolmentCertificate(certificatePEM: try PEMFile.read(path, what: "certificate"),
                                             privateKeyPEM: try PEMFile.read(certificateKey ?? "", what: "certificate key"))
            }
            let catalog = try catalog.open()
            try catalog.state().requireCertificatePresence(for: name, given: evidence != nil)
            let passphrase = try self.catalog.passphrase(for: name, confirm: !machine)()
            guard !passphrase.isEmpty else { throw CommandFailure("the passphrase is empty", exitCode: .usage) }
            let created = try SealedSigningKey.create(for: name, passphrase: passphrase)
            var added = CustodianAdded(name: name, title: title, organization: organization, phone: phone,
                                       location: location, key: created.key)
            if machine { added.machine = true }
            let event = try catalog.enrol(added, secretKey: created.secretKey, certificate: evidence)
            let status = try catalog.state().custodians[name]?.status ?? .pending
            try AuditEventOutput.print(event, output: output)
            if !output.json && !output.quiet && status == .pending {
                print("\(name) is pending: two active custodians must run `kura custodian approve \(name) --as NAME`")
            }
        }
    }
}

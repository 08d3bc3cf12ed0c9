import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.CatalogCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the catalog; with --trust-anchor, anchor custodian identities to your organisation's CA.",
            discussion: """
            With --trust-anchor, the CA certificate becomes the first event of the audit log, so it cannot be \
            added, swapped or removed later without `kura audit verify` failing; every `kura custodian add` must \
            then present a certificate issued under it (--certificate, --certificate-key). A catalog that already \
            has events cannot get a trust anchor (exit 20, rule anchor-at-creation). Without --trust-anchor, the \
            catalog is created (if it is not there yet) with self-asserted identities.
            """)

        @Option(help: ArgumentHelp("Your organisation's CA certificate (one X.509 certificate, PEM, with CA:TRUE) "
            + "that issues custodians' certificates.", valueName: "ca.pem"))
        var trustAnchor: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let pem = try trustAnchor.map { try PEMFile.read($0, what: "trust anchor") }
            let catalog = try catalog.open()
            if let pem {
                let event = try catalog.anchor(toAuthority: pem)
                if output.json {
                    try Terminal.printJSON(AuditEventOutput(event: EventJSON(event)))
                } else if !output.quiet {
                    print("catalog \(catalog.path) created; event \(event.sequence): \(event.summary); "
                        + "custodian identities are \(try catalog.state().identities.summary)")
                }
                return
            }
            let state = try catalog.state()
            if state.eventCount > 0 {
                throw CommandFailure("catalog \(catalog.path) already exists with \(state.eventCount) events; "
                    + "custodian identities are \(state.identities.summary)")
            }
            if !output.quiet {
                print("catalog \(catalog.path) created; custodian identities are self-asserted (no trust anchor)")
            }
        }
    }
}

import ArgumentParser

extension Kura {
    /// `kura catalog`: the catalog file itself.
    struct CatalogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "The catalog file itself: create it, optionally anchored to your organisation's CA.",
            discussion: """
            Any catalog command creates the catalog on first use, without a trust anchor: custodian identities \
            are then self-asserted, and certificates, `kura report` and `kura audit verify` say so. Create it \
            with `kura catalog init --trust-anchor ca.pem` instead so that every custodian must enrol with a \
            certificate issued under that CA (man kura-catalog(5), TRUST ANCHOR).
            """,
            subcommands: [Init.self])
    }
}

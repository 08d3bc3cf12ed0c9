import ArgumentParser

extension Kura {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "The catalog's signed, hash-chained audit log.",
            discussion: """
            Every catalog change is an event holding the previous event's hash, its own BLAKE2b hash and its \
            custodian's Ed25519 signature; the current-state tables are projections of the events \
            (man kura-catalog(5)).
            """,
            subcommands: [Log.self, Verify.self, Checkpoint.self])
    }
}

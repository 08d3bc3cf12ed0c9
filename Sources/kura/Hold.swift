import ArgumentParser

extension Kura {
    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Holds on snapshots: a held snapshot is never forgotten until a different custodian releases it.",
            discussion: "Holds are signed events in the catalog (--catalog, KURA_CATALOG), mirrored into the repository "
                + "(holds/) when placed; kura forget and prune honour both, with or without the catalog.",
            subcommands: [Add.self, Remove.self, List.self])
    }
}

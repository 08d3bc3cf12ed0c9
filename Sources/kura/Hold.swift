import ArgumentParser

extension Kura {
    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Holds on snapshots: a held snapshot is never forgotten until a different custodian releases it.",
            discussion: "Holds are signed events in the catalog (--catalog, KURA_CATALOG); kura forget reads them.",
            subcommands: [Add.self, Remove.self, List.self])
    }
}

import ArgumentParser
import KuraRepository

extension Kura {
    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repair",
            abstract: "Repair a damaged repository: rebuild the index from the packs, or rewrite snapshots whose data is missing.",
            discussion: "Both need a full key (exit 12 with a write-only one) and take an exclusive lock. Run 'kura check' first: it names what is damaged. What a damaged file costs, and what repair can win back, is in kura-repository(5), REPAIRING.",
            subcommands: [Index.self, Snapshots.self])
    }
}

import ArgumentParser

extension Kura {
    struct Source: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "source",
            abstract: "Sources (paths and stream names the catalog has backups of): retire one that is no longer backed up.",
            subcommands: [Retire.self])
    }
}

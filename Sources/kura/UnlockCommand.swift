import ArgumentParser
import KuraRepository

extension Kura {
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Remove stale locks (expired, or whose process is gone from this host).",
            discussion: """
            Stale locks never block kura anyway; this tidies them. --remove-all also removes live locks: only when you \
            know no kura process is using the repository. Needs the repository password; with a write-only key only \
            stale locks taken on this host are removed, and --remove-all exits 12.
            """)

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Remove every lock, live or not.")
        var removeAll = false

        func run() throws {
            let removed = try repository.open().removeLocks(all: removeAll)
            if output.json {
                try Terminal.printJSON(["removed": removed])
            } else if !output.quiet {
                print("removed \(removed) lock\(removed == 1 ? "" : "s")")
            }
        }
    }
}

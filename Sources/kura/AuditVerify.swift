import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Audit {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the audit log and the current-state tables; exit 1 naming the first bad event or row.",
            discussion: """
            Recomputes every event's hash and the chain, checks every signature against the key the log \
            enrolled for its custodian, replays the catalog's rules, then rebuilds the current-state tables \
            from the events and compares them with the stored ones. By default it starts from the newest \
            signed checkpoint the catalog stores (made by `kura audit checkpoint --as NAME`, which verifies the \
            whole log first), from the state signed with it, after checking its signature, its signer's \
            enrolled key and that the log still holds its head; so its cost grows with the events since that \
            checkpoint, not with the whole log. --full starts from event 1 and trusts no stored checkpoint: it \
            also catches an event older than the checkpoint changed in place. With --checkpoint, also checks that the \
            log still reaches the checkpoint's head, so deleted newest events are caught. An event dated more \
            than 5 minutes before an earlier event (the clock went backwards) is reported with its sequence \
            number and both times, and fails verification like any other finding (exit 1); the catalog itself \
            refuses to append such an event (exit 20, rule clock-not-backwards). On a catalog with a \
            trust anchor, every enrolment's certificate is checked again against the anchor at the enrolment's \
            time, with its proof of possession. The output says whether custodian identities are anchored to a \
            CA (naming each custodian's certificate subject) or self-asserted.
            """)

        @Option(help: ArgumentHelp("A checkpoint printed by `kura audit checkpoint` and kept elsewhere.", valueName: "file"))
        var checkpoint: String?

        @Flag(help: "Walk the whole log from event 1, trusting no checkpoint stored in the catalog.")
        var full = false

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            var expected: KuraCatalog.Checkpoint?
            if let checkpoint {
                guard let data = FileManager.default.contents(atPath: checkpoint) else {
                    throw CommandFailure("cannot read checkpoint file \(checkpoint)")
                }
                expected = try KuraCatalog.Checkpoint(parsing: String(decoding: data, as: UTF8.self))
            }
            let report = try catalog.openExisting().verify(against: expected, full: full)
            if output.json {
                try Terminal.printJSON(report)
            } else if !output.quiet {
                for problem in report.problems { print(problem) }
                if report.isIntact {
                    print("audit log intact: \(report.verifiedEvents) events"
                        + (report.startedFrom.map { " (from the checkpoint of \($0.time) at event \($0.events), signed by "
                            + "\($0.signer ?? "?"); --full checks the events before it)" } ?? "")
                        + ", head \(report.headHash); "
                        + "current-state tables match the events"
                        + (expected.map { "; checkpoint of \($0.time) (event \($0.events)) matches" } ?? ""))
                }
                IdentitiesText.print(report.identities)
            }
            if let first = report.problems.first {
                throw CommandFailure("audit verify failed: \(first)"
                    + (report.problems.count > 1 ? " (and \(report.problems.count - 1) more problems)" : ""))
            }
        }
    }
}

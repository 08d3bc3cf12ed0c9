import ArgumentParser
import KuraCatalog

extension Kura.Audit {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the audit log, oldest event first.")

        @Option(help: ArgumentHelp("Only events about this serial, custodian or location.", valueName: "subject"))
        var subject: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            var events = try catalog.openExisting().events()
            if let subject { events = events.filter { $0.subject == subject } }
            if output.json { return try Terminal.printJSON(events) }
            if output.quiet { return }
            for event in events {
                print("\(event.sequence)\t\(event.occurredAt)\t\(event.actor)\t\(event.kind)\t\(event.summary)\t\(event.hash.prefix(16))")
            }
        }
    }
}

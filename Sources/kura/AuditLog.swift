import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Audit {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "Print the audit log, oldest event first.")

        @Option(help: ArgumentHelp("Only events about this serial, custodian or location.", valueName: "subject"))
        var subject: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            var events = try catalog.openExisting().events()
            if let subject { events = events.filter { $0.subject == subject } }
            if output.json { return try Terminal.printJSON(events.map(EventJSON.init)) }
            if output.quiet { return }
            var rows = TextTable([.init("Seq", alignment: .right), .init("Time", minimumWidth: 26), .init("Actor"), .init("Kind"),
                                  .init("Hash", minimumWidth: 16),
                                  .init("Summary", minimumWidth: 12)])
            for event in events {
                rows.append([String(event.sequence), LocalTime.format(iso8601: event.occurredAt), event.actor, event.kind,
                             String(event.hash.prefix(16)), event.summary])
            }
            table.print(rows)
        }
    }
}

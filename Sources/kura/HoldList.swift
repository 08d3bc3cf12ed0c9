import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Hold {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List holds on snapshots (active ones unless --all).")

        @Flag(help: "Also list released holds.")
        var all = false

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let holds = try catalog.openExisting().snapshotHolds(activeOnly: !all)
            if output.json { return try Terminal.printJSON(holds.map(HoldJSON.init)) }
            if output.quiet { return }
            if holds.isEmpty && !table.tsv { return print(all ? "no holds" : "no active holds") }
            var rows = TextTable([.init("ID"), .init("Snapshot", minimumWidth: 8), .init("Repository", minimumWidth: 8), .init("Placed by"),
                                  .init("Placed at", minimumWidth: 26), .init("Reason"), .init("Released")])
            for hold in holds {
                rows.append([String(hold.id), String(hold.snapshotID.prefix(8)), String(hold.repositoryID.prefix(8)), hold.placedBy,
                             LocalTime.format(iso8601: hold.placedAt), hold.reason,
                             hold.releasedBy.map { "by \($0) at \(LocalTime.format(iso8601: hold.releasedAt ?? "?"))" } ?? "-"])
            }
            table.print(rows)
        }
    }
}

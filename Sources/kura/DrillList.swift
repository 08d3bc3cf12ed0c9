import ArgumentParser
import Foundation
import KuraCatalog
import KuraText

extension Kura.Drill {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the recorded restore drills, oldest first.")

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let drills = try catalog.openExisting().drills()
            if output.json { return try Terminal.printJSON(drills.map(DrillJSON.init)) }
            if output.quiet { return }
            var rows = TextTable([.init("ID", alignment: .right), .init("Time", minimumWidth: 26), .init("Snapshot", minimumWidth: 8), .init("Result"),
                                  .init("Bytes", alignment: .right), .init("Seconds", alignment: .right), .init("From"), .init("By"),
                                  .init("Sources"), .init("Detail")])
            for d in drills {
                rows.append([String(d.id), LocalTime.format(iso8601: d.performedAt), String(d.snapshotID.prefix(8)), d.result.rawValue,
                             Terminal.formatBytes(Int(d.bytes)), String(format: "%.2f", Double(d.restoreMilliseconds) / 1000),
                             d.medium.map { "medium " + $0 } ?? "repository", d.performedBy,
                             d.sources.values.joined(separator: " "), d.detail ?? ""])
            }
            table.print(rows)
            if table.tsv { return }
            print("\(drills.count) drill\(drills.count == 1 ? "" : "s")")
        }
    }
}

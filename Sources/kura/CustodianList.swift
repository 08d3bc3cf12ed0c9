import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Custodian {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List custodians, their status and who approved them.")

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let catalog = try catalog.openExisting()
            let approvers = try catalog.approvers()
            let custodians = try catalog.custodians()
            if output.json { return try Terminal.printJSON(custodians.map { CustodianJSON($0, approvedBy: approvers[$0.name] ?? []) }) }
            if output.quiet { return }
            var rows = TextTable(headers: ["Name", "Status", "Title", "Organization", "Location", "Approved by", "Revoked"])
            for entry in custodians {
                let approvedBy = approvers[entry.name] ?? []
                rows.append([entry.name, entry.status.rawValue, entry.title, entry.organization, entry.location ?? "-",
                             approvedBy.isEmpty ? "-" : approvedBy.joined(separator: ", "),
                             entry.revokedBy.map { "by \($0) at \(LocalTime.format(iso8601: entry.revokedAt ?? "?"))" } ?? "-"])
            }
            table.print(rows)
        }
    }
}

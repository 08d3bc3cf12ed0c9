import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Custodian {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List custodians, their status and who approved them.")

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        /// A custodian as listed: everything but the sealed key.
        struct Entry: Encodable {
            var name, title, organization: String
            var phone, location: String?
            var status: String
            var approvedBy: [String]
            var publicKey: String
            var addedAt: String
            var revokedBy, revokedAt: String?

            enum CodingKeys: String, CodingKey {
                case name, title, organization, phone, location, status
                case approvedBy = "approved_by"
                case publicKey = "public_key"
                case addedAt = "added_at"
                case revokedBy = "revoked_by"
                case revokedAt = "revoked_at"
            }
        }

        func run() throws {
            let catalog = try catalog.openExisting()
            let approvers = try catalog.approvers()
            let entries = try catalog.custodians().map {
                Entry(name: $0.name, title: $0.title, organization: $0.organization, phone: $0.phone, location: $0.location,
                      status: $0.status.rawValue, approvedBy: approvers[$0.name] ?? [], publicKey: $0.publicKey,
                      addedAt: $0.addedAt, revokedBy: $0.revokedBy, revokedAt: $0.revokedAt)
            }
            if output.json { return try Terminal.printJSON(entries) }
            if output.quiet { return }
            var rows = TextTable(headers: ["Name", "Status", "Title", "Organization", "Location", "Approved by", "Revoked"])
            for entry in entries {
                rows.append([entry.name, entry.status, entry.title, entry.organization, entry.location ?? "-",
                             entry.approvedBy.isEmpty ? "-" : entry.approvedBy.joined(separator: ", "),
                             entry.revokedBy.map { "by \($0) at \(LocalTime.format(iso8601: entry.revokedAt ?? "?"))" } ?? "-"])
            }
            table.print(rows)
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraMedia

extension Kura.Media {
    struct Lost: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report a medium lost and print its exposure report: what it holds and how that is protected.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("What is known: where and when it was last seen.", valueName: "text"))
        var note: String?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        struct Result: Encodable {
            var event: EventRecord
            var exposure: ExposureReport
        }

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(MediumLost(serial: serial, note: note)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            let exposure = try catalog.exposureReport(for: serial, mediumReveals: Self.mediumReveals)
            if output.json { return try Terminal.printJSON(Result(event: event, exposure: exposure)) }
            if output.quiet { return }
            print("event \(event.sequence) signed by \(event.actor): \(event.summary)")
            print(Self.text(exposure))
        }

        /// What a medium shows without the passphrase: the label's clear members, from the label
        /// format's own field list, and what the archive itself shows.
        static var mediumReveals: [ExposureReport.Revealed] {
            MediumLabel.fieldsInTheClear.map { ExposureReport.Revealed(source: "label", field: $0.field, meaning: $0.meaning) }
                + MediumLabel.archiveInTheClear.map { ExposureReport.Revealed(source: "archive", field: $0.field, meaning: $0.meaning) }
        }

        static func text(_ report: ExposureReport) -> String {
            let m = report.medium
            var lines = ["EXPOSURE REPORT: medium \(m.serial)" + (m.barcode.map { " (barcode \($0))" } ?? ""),
                         "  type:            \(m.mediaType)", "  classification:  \(m.classification)",
                         "  last known at:   \(m.location)" + (m.destination.map { " -> \($0)" } ?? ""),
                         "  backup sets:     \(report.backupSets.count), \(report.totalBytes) bytes in all"]
            for copy in report.backupSets {
                lines.append("  - repository \(copy.repositoryID), snapshot \(copy.snapshotIDs.values.joined(separator: ", "))")
                lines.append("      sources:      \(copy.sources.values.isEmpty ? "not recorded" : copy.sources.values.joined(separator: ", "))")
                lines.append("      written:      \(copy.writtenAt); retain until \(copy.retainUntil)")
                lines.append("      bytes:        \(copy.bytes)")
                lines.append("      encrypted:    yes; opened only by \(copy.keyDescription)"
                    + (copy.keySlotIDs.values.isEmpty ? "" : " (key slots \(copy.keySlotIDs.values.joined(separator: ", ")))"))
            }
            for hold in report.activeHolds {
                lines.append("  on hold:         \(hold.reason) (hold \(hold.id) by \(hold.placedBy))")
            }
            if !report.mediumReveals.isEmpty { lines.append("  without the passphrase the medium shows only:") }
            for item in report.mediumReveals {
                lines.append("    \(item.source) \(item.field): \(item.meaning)")
            }
            lines.append("  protection:      \(report.protection)")
            return lines.joined(separator: "\n")
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Media {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a medium: its details, the backup sets on it, holds, moves, disposals and whole history.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let report = try catalog.openExisting().report(for: serial)
            if output.json { return try Terminal.printJSON(MediumReportJSON(report)) }
            if output.quiet { return }
            let m = report.medium
            print("medium \(m.serial)" + (m.barcode.map { " (barcode \($0))" } ?? ""))
            print("  type:           \(m.mediaType)" + (m.capacity.map { ", \($0)" } ?? ""))
            print("  make/model:     \(m.make ?? "-") / \(m.model ?? "-")")
            print("  property no.:   \(m.propertyNumber ?? "-")")
            print("  classification: \(m.classification)")
            print("  state:          \(m.state.rawValue)" + (m.priorState.map { " (was \($0.rawValue))" } ?? ""))
            print("  location:       \(m.location)" + (m.destination.map { " -> \($0)" } ?? ""))
            print("  added:          \(m.addedAt) by \(m.addedBy)")
            print("backup sets:" + (report.backupSets.isEmpty ? " none" : ""))
            for copy in report.backupSets {
                print("  \(copy.id): repository \(copy.repositoryID) snapshot \(copy.snapshotIDs.values.joined(separator: ",")), "
                    + "\(copy.bytes) bytes, written \(copy.writtenAt) by \(copy.recordedBy)"
                    + (report.machineSigners.contains(copy.recordedBy) ? " (machine)" : "") + ", retain until \(copy.retainUntil)"
                    + (copy.isPresent ? "" : " (erased by event \(copy.erasedEvent!))"))
            }
            print("holds:" + (report.holds.isEmpty ? " none" : ""))
            for hold in report.holds {
                print("  \(hold.id): \(hold.reason), by \(hold.placedBy) at \(hold.placedAt)"
                    + (hold.releasedBy.map { ", released by \($0) at \(hold.releasedAt ?? "?")" } ?? ", active"))
            }
            print("disposals:" + (report.disposals.isEmpty ? " none" : ""))
            for disposal in report.disposals {
                print("  \(disposal.id): requested by \(disposal.requestedBy)"
                    + (disposal.approvedBy.map { ", approved by \($0)" } ?? "")
                    + (disposal.performedBy.map { ", sanitized by \($0)" } ?? "")
                    + (disposal.validatedBy.map { ", validated by \($0)" } ?? "")
                    + (disposal.outcome.map { ": \($0.rawValue)" } ?? "")
                    + (disposal.cancelledBy.map { ", cancelled by \($0) at \(disposal.cancelledAt ?? "?"): \(disposal.cancelReason ?? "")" } ?? ""))
            }
            print("history:")
            var history = TextTable([.init("Seq", alignment: .right), .init("Time", minimumWidth: 26), .init("Actor"),
                                     .init("Event", minimumWidth: 12)])
            for event in report.history {
                history.append([String(event.sequence), LocalTime.format(iso8601: event.occurredAt), event.actor, event.summary])
            }
            table.print(history)
        }
    }
}

import ArgumentParser
import Foundation
import KuraCatalog
import KuraRepository

extension Kura {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The compliance report: last good backup and drill per source, media, disposals, inventories, audit log.",
            discussion: """
            Per source (a path or stream name, by host and repository): the last successful backup and the last \
            passed drill, with their ages. Media counted by state and by location; disposals not yet validated; \
            media in transit for more than a day; the newest inventory of each location and its discrepancies; \
            whether the audit log verifies, and whether custodians' identities are anchored to the organisation's CA \
            or self-asserted. The catalog knows of backups run with --catalog or KURA_CATALOG.

            Per source also the newest snapshot copied to another repository (kura copy with --catalog), as the \
            offsite copy an auditor asks for.

            With --max-backup-age, --max-drill-age or --max-copy-age, kura exits 1 and names every source whose last \
            successful backup, passed drill or newest copy is older (or missing), so a monitoring job can run it; a failed audit \
            verification exits 1 too. Durations: \(CalendarDuration.syntax); ages are measured from the system clock, and a limit too long for \
            the calendar means no limit.
            """)

        @Option(help: ArgumentHelp("Fail when a source's last successful backup is older than this (e.g. 1d, 26h, 1s).", valueName: "duration"))
        var maxBackupAge: CalendarDuration?

        @Option(help: ArgumentHelp("Fail when a source's last passed drill is older than this (e.g. 3m for a quarter).", valueName: "duration"))
        var maxDrillAge: CalendarDuration?

        @Option(help: ArgumentHelp("Fail when the newest snapshot of a source copied to another repository (kura copy) is older than this.",
                                   valueName: "duration"))
        var maxCopyAge: CalendarDuration?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.openExisting()
            let now = catalog.now
            func limit(_ age: CalendarDuration?) -> ComplianceReport.Limit? {
                age.map { ComplianceReport.Limit(deadline: $0.before(now, calendar: .current), text: $0.description) }
            }
            let report = try catalog.complianceReport(backupLimit: limit(maxBackupAge), drillLimit: limit(maxDrillAge),
                                                      copyLimit: limit(maxCopyAge))
            if output.json {
                try Terminal.printJSON(report)
            } else if !output.quiet {
                ReportText(report: report).print()
            }
            if !report.stale.isEmpty {
                for line in report.stale { Terminal.printError("stale: \(line)") }
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
    }
}

/// `kura report` as text.
struct ReportText {
    let report: ComplianceReport

    func print() {
        Swift.print("kura compliance report, \(report.generatedAt)")
        Swift.print("\nsources:" + (report.sources.isEmpty ? " none recorded" : ""))
        for source in report.sources {
            Swift.print("  \(source.label)")
            if let backup = source.lastSuccessfulBackup {
                Swift.print("    last successful backup: \(backup.snapshotTime) (\(age(source.backupAgeSeconds))), snapshot "
                    + "\(backup.snapshotID.prefix(8)), \(Terminal.formatBytes(Int(backup.bytes)))")
            } else {
                Swift.print("    last successful backup: none")
            }
            if let other = source.lastBackupIfNotSuccessful {
                Swift.print("    newer backup \(other.snapshotID.prefix(8)) at \(other.snapshotTime) was \(other.result.rawValue)")
            }
            if let drill = source.lastPassedDrill {
                Swift.print("    last passed drill:      \(drill.performedAt) (\(age(source.drillAgeSeconds))), drill \(drill.id) of snapshot "
                    + "\(drill.snapshotID.prefix(8)) from \(drill.medium.map { "medium \($0)" } ?? "the repository"), "
                    + String(format: "%.2f s", Double(drill.restoreMilliseconds) / 1000) + " by \(drill.performedBy)")
            } else {
                Swift.print("    last passed drill:      none")
            }
            if let copy = source.lastCopy {
                Swift.print("    newest copy elsewhere:  snapshot of \(copy.snapshotTime) (\(age(source.copyAgeSeconds))) in repository "
                    + "\(copy.destinationRepositoryID.prefix(8)) as \(copy.destinationSnapshotID.prefix(8))")
            }
            if let failed = source.lastDrillIfFailed {
                Swift.print("    drill \(failed.id) at \(failed.performedAt) FAILED" + (failed.detail.map { ": \($0)" } ?? ""))
            }
        }
        Swift.print("\nmedia by state:" + counts(report.mediaByState))
        Swift.print("media by location:" + counts(report.mediaByLocation))
        Swift.print("\npending disposals:" + (report.pendingDisposals.isEmpty ? " none" : ""))
        for d in report.pendingDisposals {
            Swift.print("  medium \(d.serial): requested by \(d.requestedBy) at \(d.requestedAt)"
                + (d.approvedBy.map { ", approved by \($0)" } ?? ", not approved")
                + (d.performedBy.map { ", sanitized by \($0), awaiting validation" } ?? ""))
        }
        Swift.print("media in transit for more than a day:" + (report.longInTransit.isEmpty ? " none" : ""))
        for t in report.longInTransit {
            Swift.print("  medium \(t.serial): \(t.from) -> \(t.to) with \(t.courier), sent by \(t.sentBy) at \(t.sentAt) (\(t.hours) h)")
        }
        Swift.print("last inventories:" + (report.lastInventories.isEmpty ? " none" : ""))
        for i in report.lastInventories {
            let problems = [("missing", i.missing), ("unexpected", i.unexpected), ("misplaced", i.misplaced)]
                .filter { !$0.1.values.isEmpty }.map { "\($0.0) \($0.1.values.joined(separator: ", "))" }
            Swift.print("  \(i.location) at \(i.takenAt) by \(i.takenBy): "
                + (problems.isEmpty ? "no discrepancies" : problems.joined(separator: "; ")))
        }
        Swift.print("\naudit log: " + (report.audit.intact
            ? "intact, \(report.audit.events) events, head \(report.audit.headHash.prefix(16))"
            : "DOES NOT VERIFY: \(report.audit.problems.first ?? "?")"))
        IdentitiesText.print(report.identities)
    }

    private func age(_ seconds: Int64?) -> String {
        guard let seconds else { return "age unknown" }
        if seconds < 120 { return "\(seconds) s ago" }
        if seconds < 7200 { return "\(seconds / 60) min ago" }
        if seconds < 172_800 { return "\(seconds / 3600) h ago" }
        return "\(seconds / 86_400) days ago"
    }

    private func counts(_ values: [String: Int]) -> String {
        values.isEmpty ? " none" : " " + values.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

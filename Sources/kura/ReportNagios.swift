import Foundation
import KuraCatalog

/// `kura report --format nagios`: one status line with perfdata, and the Nagios plugin exit code
/// (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
struct ReportNagios {
    enum Status: Int32 {
        case ok = 0, warning = 1, critical = 2, unknown = 3
        var word: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(rawValue)] }
    }

    let report: ComplianceReport
    let now: Date
    /// The last successful backup of an active source older than this is a warning, older than `critical` critical.
    let warning: ComplianceReport.Limit
    let critical: ComplianceReport.Limit
    /// `--max-drill-age`: a drill older than this (or none) is a warning.
    let drillLimit: ComplianceReport.Limit?

    var result: (status: Status, line: String) {
        var criticals: [String] = []
        var warnings: [String] = []
        let active = report.sources.filter { $0.retired == nil }
        if !report.audit.intact { criticals.append("audit log does not verify: \(report.audit.problems.first ?? "?")") }
        criticals += report.lostMedia.map { "medium \($0) is lost" }
        if !active.contains(where: { $0.lastSuccessfulBackup != nil }) { criticals.append("no successful backup is recorded") }
        for source in active {
            guard let backup = source.lastSuccessfulBackup else {
                if active.contains(where: { $0.lastSuccessfulBackup != nil }) { criticals.append("\(source.name): no successful backup") }
                continue
            }
            let time = CatalogTime.parse(backup.snapshotTime) ?? .distantPast
            let age = Self.age(source.backupAgeSeconds)
            if time < critical.deadline {
                criticals.append("\(source.name) on \(source.host): last backup \(age) ago, older than \(critical.text)")
            } else if time < warning.deadline {
                warnings.append("\(source.name) on \(source.host): last backup \(age) ago, older than \(warning.text)")
            }
            if let drillLimit {
                if let drill = source.lastPassedDrill {
                    if (CatalogTime.parse(drill.performedAt) ?? .distantPast) < drillLimit.deadline {
                        warnings.append("\(source.name) on \(source.host): last passed drill \(Self.age(source.drillAgeSeconds)) ago, "
                            + "older than \(drillLimit.text)")
                    }
                } else {
                    warnings.append("\(source.name) on \(source.host): no passed drill")
                }
            }
        }
        warnings += report.longInTransit.map { "medium \($0.serial) in transit \($0.hours) h, longer than \(report.maxTransitAge)" }

        let status: Status = !criticals.isEmpty ? .critical : !warnings.isEmpty ? .warning : .ok
        let summary: String
        if criticals.isEmpty && warnings.isEmpty {
            let oldest = active.compactMap(\.backupAgeSeconds).max()
            summary = "\(active.count) source\(active.count == 1 ? "" : "s") backed up, oldest \(Self.age(oldest)) ago; "
                + "audit log intact (\(report.audit.events) event\(report.audit.events == 1 ? "" : "s"))"
        } else {
            summary = (criticals + warnings).joined(separator: "; ")
        }
        return (status, "KURA \(status.word) - \(summary) | \(perfdata(active))")
    }

    private func perfdata(_ active: [ComplianceReport.Source]) -> String {
        func seconds(_ limit: ComplianceReport.Limit) -> Int64 { Int64(now.timeIntervalSince(limit.deadline).rounded()) }
        let oldest = active.compactMap(\.backupAgeSeconds).max().map(String.init) ?? "U"
        return [
            "oldest_backup_age=\(oldest)s;\(seconds(warning));\(seconds(critical));0;",
            "sources=\(active.count);;;0;",
            "retired_sources=\(report.sources.count - active.count);;;0;",
            "lost_media=\(report.lostMedia.count);;;0;",
            "overdue_transits=\(report.longInTransit.count);;;0;",
            "pending_disposals=\(report.pendingDisposals.count);;;0;",
            "audit_events=\(report.audit.events);;;0;",
        ].joined(separator: " ")
    }

    static func age(_ seconds: Int64?) -> String {
        guard let seconds else { return "unknown" }
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)min" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }
}

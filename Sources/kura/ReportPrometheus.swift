import Foundation
import KuraCatalog

/// `kura report --format prometheus`: the report as node_exporter textfile metrics (text exposition format,
/// every metric a gauge, no sample timestamps).
struct ReportPrometheus {
    let report: ComplianceReport

    var text: String {
        var out = ""
        func metric(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples {
                let labels = sample.labels.isEmpty ? ""
                    : "{" + sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
                out += name + labels + " " + Self.number(sample.value) + "\n"
            }
        }
        func seconds(_ time: String) -> Double? { CatalogTime.parse(time)?.timeIntervalSince1970 }
        func sourceLabels(_ s: ComplianceReport.Source) -> [(String, String)] {
            [("repository", s.repositoryID), ("host", s.host), ("source", s.name)]
        }

        metric("kura_report_timestamp_seconds", "When kura made this report (Unix time).",
               [([], seconds(report.generatedAt) ?? 0)])
        metric("kura_source_last_backup_timestamp_seconds", "Time of the source's last successful backup (Unix time).",
               report.sources.compactMap { s in s.lastSuccessfulBackup.flatMap { seconds($0.snapshotTime) }.map { (sourceLabels(s), $0) } })
        metric("kura_source_last_backup_age_seconds", "Seconds since the source's last successful backup.",
               report.sources.compactMap { s in s.backupAgeSeconds.map { (sourceLabels(s), Double($0)) } })
        metric("kura_source_last_drill_timestamp_seconds", "Time of the source's last passed restore drill (Unix time).",
               report.sources.compactMap { s in s.lastPassedDrill.flatMap { seconds($0.performedAt) }.map { (sourceLabels(s), $0) } })
        metric("kura_source_last_drill_age_seconds", "Seconds since the source's last passed restore drill.",
               report.sources.compactMap { s in s.drillAgeSeconds.map { (sourceLabels(s), Double($0)) } })
        metric("kura_source_retired", "1 if the source was retired (kura source retire) after its last backup, else 0.",
               report.sources.map { (sourceLabels($0), $0.retired == nil ? 0 : 1) })
        metric("kura_media", "Media in the catalog by state.",
               MediumState.allCases.map { ([("state", $0.rawValue)], Double(report.mediaByState[$0.rawValue] ?? 0)) })
        metric("kura_media_location", "Media not disposed, by location (onsite:NAME, offsite:VAULT, in-transit:COURIER).",
               report.mediaByLocation.keys.sorted().map { ([("location", $0)], Double(report.mediaByLocation[$0]!)) })
        metric("kura_media_lost", "Media reported lost and not found.", [([], Double(report.lostMedia.count))])
        metric("kura_disposals_pending", "Disposal requests not yet validated.", [([], Double(report.pendingDisposals.count))])
        metric("kura_transits_overdue", "Media in transit for longer than the report's --max-transit-age.",
               [([], Double(report.longInTransit.count))])
        metric("kura_audit_log_intact", "1 if the audit log verifies (hash chain, signatures, tables), else 0.",
               [([], report.audit.intact ? 1 : 0)])
        metric("kura_audit_log_events", "Events verified in the audit log.", [([], Double(report.audit.events))])
        metric("kura_report_problems", "Problems that make kura report exit 1 (stale sources, overdue transits, lost media, audit log).",
               [([], Double(report.stale.count))])
        return out
    }

    /// A label value in the exposition format: backslash, double quote and line feed escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }
}

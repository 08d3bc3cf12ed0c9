import Foundation
import Testing

/// Issue 15 item 3: `kura report --format prometheus|nagios`, overdue transits and lost media failing the report,
/// `kura source retire`, and log lines for journald.
@Suite struct MonitoringTests {
    /// KURA_NOW `hours` from now (the catalog's clock; backups are stamped with the real one).
    static func later(hours: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date().addingTimeInterval(hours * 3600))
    }

    /// One sample of the text exposition format.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Parses node_exporter textfile metrics line by line; records an issue for any line that is not a HELP or TYPE
    /// comment or a well-formed sample of a metric declared as a gauge before it.
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Sample] {
        var samples: [Sample] = []
        var gauges = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) {
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && parts[3] == "gauge", "\(line)", sourceLocation: sourceLocation)
                gauges.insert(String(parts[2]))
                continue
            }
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            let name = String(line[..<nameEnd])
            #expect(name.range(of: "^kura_[a-z_]+$", options: .regularExpression) != nil && gauges.contains(name), "\(line)",
                    sourceLocation: sourceLocation)
            var labels: [String: String] = [:]
            var rest = line[nameEnd...]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    guard let eq = rest.firstIndex(of: "="), rest[rest.index(after: eq)] == "\"" else {
                        Issue.record("bad labels: \(line)", sourceLocation: sourceLocation)
                        return samples
                    }
                    let key = String(rest[..<eq])
                    var value = ""
                    var index = rest.index(eq, offsetBy: 2)
                    while rest[index] != "\"" {
                        if rest[index] == "\\" {
                            index = rest.index(after: index)
                            value.append(rest[index] == "n" ? "\n" : rest[index])
                        } else {
                            value.append(rest[index])
                        }
                        index = rest.index(after: index)
                    }
                    labels[key] = value
                    rest = rest[rest.index(after: index)...]
                    if rest.first == "," { rest = rest.dropFirst() }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " ", let value = Double(rest.dropFirst()) else {
                Issue.record("bad sample: \(line)", sourceLocation: sourceLocation)
                continue
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }

    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { $0.name == name && $0.labels == labels }
        #expect(matching.count <= 1, "\(name) \(labels) appears \(matching.count) times")
        return matching.first?.value
    }

    @Test func prometheusMetricsMatchTheCatalog() throws {
        let s = try RetentionSetup()
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("COPY customers FROM stdin;\n".utf8))
        try s.ok(["backup", "--stdin", "--stdin-name", "顧客 \"台帳\".sql", "--quiet"], stdin: Data("COPY 顧客 FROM stdin;\n".utf8))
        try s.ok(["drill", "run", "latest", "--restore-command", "cat >/dev/null", "--quiet"])
        for serial in ["T1", "T2", "T3"] {
            try s.ok(["media", "add", serial, "--type", "LTO-9", "--location", "onsite:main"], as: "alice")
        }
        try s.ok(["media", "move", "T1", "--to", "offsite:vault", "--via", "Nittsu"], as: "alice")
        try s.ok(["media", "lost", "T2"], as: "bob")
        try s.ok(["media", "dispose", "request", "T3", "--reason", "worn"], as: "bob")

        let now = Self.later(hours: 48)
        let json = try s.kura(["report", "--json"], environment: ["KURA_NOW": now])
        let report = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any] ?? [:]
        let result = try s.kura(["report", "--format", "prometheus"], environment: ["KURA_NOW": now])
        // T1 is two days in transit and T2 is lost: exit 1, both named, and the metrics are still printed.
        #expect(result.status == 1)
        #expect(result.stderr.contains("stale: medium T1 has been in transit") && result.stderr.contains("stale: medium T2 is lost"))
        let samples = Self.parse(result.output)
        #expect(samples.count > 20)

        let sources = report["sources"] as? [[String: Any]] ?? []
        #expect(sources.count == 2)
        for source in sources {
            let labels = ["repository": source["repository_id"] as? String ?? "", "host": source["host"] as? String ?? "",
                          "source": source["name"] as? String ?? ""]
            let backup = source["last_successful_backup"] as? [String: Any] ?? [:]
            let time = ISO8601DateFormatter.fractional(backup["snapshot_time"] as? String ?? "")
            #expect(time != nil)
            let stamp = Self.value(samples, "kura_source_last_backup_timestamp_seconds", labels)
            #expect(stamp.map { abs($0 - time!.timeIntervalSince1970) < 0.002 } == true, "\(labels)")
            let age = Self.value(samples, "kura_source_last_backup_age_seconds", labels)
            #expect(age == (source["backup_age_seconds"] as? Double) && (age ?? 0) >= 48 * 3600 - 60)
            #expect(Self.value(samples, "kura_source_retired", labels) == 0)
            let drilled = source["last_passed_drill"] is [String: Any]
            #expect((Self.value(samples, "kura_source_last_drill_age_seconds", labels) != nil) == drilled)
        }
        // The Japanese name with quotes comes back whole from the escaped label.
        #expect(samples.contains { $0.labels["source"] == "顧客 \"台帳\".sql" })
        #expect(sources.filter { $0["last_passed_drill"] is [String: Any] }.count == 1)

        for state in ["new", "active", "full", "quarantined", "disposal-requested", "disposal-approved", "sanitized", "disposed", "lost"] {
            let expected = Double((report["media_by_state"] as? [String: Int])?[state] ?? 0)
            #expect(Self.value(samples, "kura_media", ["state": state]) == expected, "state \(state)")
        }
        #expect(Self.value(samples, "kura_media", ["state": "lost"]) == 1 && Self.value(samples, "kura_media", ["state": "new"]) == 1)
        #expect(Self.value(samples, "kura_media_location", ["location": "in-transit:Nittsu"]) == 1)
        #expect(Self.value(samples, "kura_media_location", ["location": "onsite:main"]) == 2)
        #expect(Self.value(samples, "kura_media_lost") == 1)
        #expect(Self.value(samples, "kura_transits_overdue") == 1)
        #expect(Self.value(samples, "kura_disposals_pending") == 1)
        #expect(Self.value(samples, "kura_audit_log_intact") == 1)
        let audit = report["audit"] as? [String: Any] ?? [:]
        #expect(Self.value(samples, "kura_audit_log_events") == audit["events"] as? Double)
        #expect(Self.value(samples, "kura_report_problems") == 2)
        #expect(Self.value(samples, "kura_report_timestamp_seconds") == ISO8601DateFormatter().date(from: now)?.timeIntervalSince1970)

        // --output: the same metrics in the file, replaced atomically (no temporary file left), readable by node_exporter.
        let textfiles = s.fixture.directory.appending("textfiles")
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        let file = textfiles + "/kura.prom"
        try "old\n".write(toFile: file, atomically: true, encoding: .utf8)
        let written = try s.kura(["report", "--format", "prometheus", "--output", file], environment: ["KURA_NOW": now])
        #expect(written.status == 1 && written.output.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == result.output)
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfiles) == ["kura.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o044 == 0o044 } == true)

        let nowhere = try s.kura(["report", "--format", "prometheus", "--output", textfiles + "/missing/kura.prom"])
        #expect(nowhere.status == 1 && nowhere.stderr.contains("cannot write the metrics to \(textfiles)/missing/kura.prom"))
        #expect(try s.kura(["report", "--output", file]).status == 64)
        #expect(try s.kura(["report", "--format", "prometheus", "--json"]).status == 64)
    }

    @Test func nagiosPrintsOneLineWithPerfdataAndExitsByThePluginConvention() throws {
        // A catalog with custodians and no backup (a missing catalog is UNKNOWN, exit 21's case, below).
        let empty = try CatalogFixture()
        try empty.addCustodians(["alice", "bob"])
        let none = try empty.kura(["report", "--format", "nagios"])
        #expect(none.status == 2 && none.output.hasPrefix("KURA CRITICAL - no successful backup is recorded |"), "\(none.output)")
        #expect(none.output.split(separator: "\n").count == 1)

        // A catalog that cannot be opened: UNKNOWN.
        let broken = try TemporaryDirectory()
        try Data("not a database, just text long enough for SQLite to read a header from it".utf8).write(to: broken.url.appendingPathComponent("catalog.db"))
        let unknown = try Kura.run(["report", "--format", "nagios", "--catalog", broken.appending("catalog.db")])
        #expect(unknown.status == 3 && unknown.output.hasPrefix("KURA UNKNOWN - "), "\(unknown.output) \(unknown.stderr)")
        let missing = try Kura.run(["report", "--format", "nagios", "--catalog", broken.appending("absent.db")])
        #expect(missing.status == 3 && missing.output.hasPrefix("KURA UNKNOWN - no catalog at"), "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: broken.appending("absent.db")))

        let s = try RetentionSetup()
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("COPY customers FROM stdin;\n".utf8))
        let ok = try s.kura(["report", "--format", "nagios"])
        #expect(ok.status == 0 && ok.output.hasPrefix("KURA OK - 1 source backed up"), "\(ok.output)")
        #expect(ok.output.contains("| oldest_backup_age=") && ok.output.contains("s;93600;180000;0; sources=1;;;0;"), "\(ok.output)")

        let warning = try s.kura(["report", "--format", "nagios"], environment: ["KURA_NOW": Self.later(hours: 30)])
        #expect(warning.status == 1 && warning.output.hasPrefix("KURA WARNING - crm.sql on "), "\(warning.output)")
        #expect(warning.output.contains("last backup 30h ago, older than 26h"))
        let age = warning.output.range(of: "oldest_backup_age=([0-9]+)s", options: .regularExpression).map { warning.output[$0] }
        #expect(age.flatMap { Int($0.dropFirst("oldest_backup_age=".count).dropLast()) }.map { (30 * 3600 - 60)...(30 * 3600 + 60) ~= $0 } == true)

        let critical = try s.kura(["report", "--format", "nagios", "--warning", "1h", "--critical", "1d"],
                                  environment: ["KURA_NOW": Self.later(hours: 30)])
        #expect(critical.status == 2 && critical.output.contains("older than 1d") && critical.output.contains(";3600;86400;0;"), "\(critical.output)")

        // A lost medium is critical even with fresh backups; an overdue transit a warning.
        try s.ok(["media", "add", "T1", "--type", "LTO-9", "--location", "onsite:main"], as: "alice")
        try s.ok(["media", "move", "T1", "--to", "offsite:vault", "--via", "Nittsu"], as: "alice")
        let transit = try s.kura(["report", "--format", "nagios", "--warning", "3d", "--critical", "4d"], environment: ["KURA_NOW": Self.later(hours: 30)])
        #expect(transit.status == 1 && transit.output.contains("medium T1 in transit 30 h, longer than 1d") && transit.output.contains("overdue_transits=1;"))
        try s.ok(["media", "add", "T2", "--type", "LTO-9", "--location", "onsite:main"], as: "alice")
        try s.ok(["media", "lost", "T2"], as: "bob")
        let lost = try s.kura(["report", "--format", "nagios"])
        #expect(lost.status == 2 && lost.output.hasPrefix("KURA CRITICAL - medium T2 is lost") && lost.output.contains("lost_media=1;"))

        #expect(try s.kura(["report", "--warning", "1h"]).status == 64)
        #expect(try s.kura(["report", "--format", "nagios", "--max-backup-age", "1h"]).status == 64)
        #expect(try s.kura(["report", "--format", "xml"]).status == 64)
    }

    @Test func aRetiredSourceIsNotReportedStaleUntilItIsBackedUpAgain() throws {
        let s = try RetentionSetup()
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("COPY customers FROM stdin;\n".utf8))
        try s.ok(["backup", "--stdin", "--stdin-name", "old.sql", "--quiet"], stdin: Data("COPY legacy FROM stdin;\n".utf8))
        let later = ["KURA_NOW": Self.later(hours: 2)]
        let both = try s.kura(["report", "--max-backup-age", "1h"], environment: later)
        #expect(both.status == 1 && both.stderr.contains("source crm.sql") && both.stderr.contains("source old.sql"))

        let retired = try s.kura(["source", "retire", "old.sql", "--reason", "moved to db2"], as: "alice")
        #expect(retired.status == 0 && retired.output.contains("source old.sql retired by alice"), "\(retired.stderr)")
        let one = try s.kura(["report", "--max-backup-age", "1h", "--json"], environment: later)
        #expect(one.status == 1 && one.stderr.contains("source crm.sql") && !one.stderr.contains("old.sql"), "\(one.stderr)")
        let report = try JSONSerialization.jsonObject(with: one.stdout) as? [String: Any] ?? [:]
        let old = (report["sources"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "old.sql" }
        let retirement = old?["retired"] as? [String: Any]
        #expect(retirement?["retired_by"] as? String == "alice" && retirement?["reason"] as? String == "moved to db2")
        #expect(try s.kura(["report"]).output.contains("old.sql (host ") && s.kura(["report"]).output.contains("(retired by alice at "))

        // Prometheus and Nagios see it too.
        let metrics = Self.parse(try s.kura(["report", "--format", "prometheus"]).output)
        #expect(metrics.first { $0.name == "kura_source_retired" && $0.labels["source"] == "old.sql" }?.value == 1)
        #expect(metrics.first { $0.name == "kura_source_retired" && $0.labels["source"] == "crm.sql" }?.value == 0)
        let nagios = try s.kura(["report", "--format", "nagios", "--warning", "1h", "--critical", "3h"], environment: later)
        #expect(nagios.status == 1 && !nagios.output.contains("old.sql") && nagios.output.contains("retired_sources=1;"), "\(nagios.output)")

        // Signed, in the audit log, and refused when it means nothing.
        #expect(try s.kura(["audit", "verify"]).status == 0)
        #expect(try s.ok(["audit", "log"]).output.contains("source old.sql retired: moved to db2"))
        let again = try s.kura(["source", "retire", "old.sql"], as: "bob")
        #expect(again.status == 20 && again.stderr.contains("retire-active-source"), "\(again.stderr)")
        let unknown = try s.kura(["source", "retire", "nothing.sql"], as: "bob")
        #expect(unknown.status == 1 && unknown.stderr.contains("no backup of a source named 'nothing.sql' is recorded"))
        let otherHost = try s.kura(["source", "retire", "crm.sql", "--host", "elsewhere"], as: "bob")
        #expect(otherHost.status == 1 && otherHost.stderr.contains("on host elsewhere"))
        #expect(try s.kura(["source", "retire", "crm.sql"]).status == 64)
        let wrong = try s.kura(["source", "retire", "crm.sql", "--as", "alice"], environment: ["KURA_CUSTODIAN_PASSWORD": "wrong"])
        #expect(wrong.status == 12)

        // Retiring the other one leaves nothing stale; backing old.sql up again makes it active (and stale later).
        try s.ok(["source", "retire", "crm.sql"], as: "bob")
        #expect(try s.kura(["report", "--max-backup-age", "1h"], environment: later).status == 0)
        try s.ok(["backup", "--stdin", "--stdin-name", "old.sql", "--quiet"], stdin: Data("COPY legacy FROM stdin;\n".utf8))
        let back = try s.kura(["report", "--max-backup-age", "1h"], environment: later)
        #expect(back.status == 1 && back.stderr.contains("source old.sql") && !back.stderr.contains("crm.sql"), "\(back.stderr)")
        #expect(try s.kura(["audit", "verify"]).status == 0)
    }

    static func logLines(_ stderr: String) -> [[String: Any]] {
        stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func backupPruneMediaWriteAndDrillLogOneLinePerEvent() throws {
        let s = try RetentionSetup()
        let quiet = try s.kura(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("one\n".utf8))
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "no log lines unless asked for")

        let backup = try s.kura(["backup", "--stdin", "--stdin-name", "crm.sql", "--json", "--log-format", "json"], stdin: Data("two\n".utf8))
        #expect(backup.status == 0, "\(backup.stderr)")
        let snapshot = ((try JSONSerialization.jsonObject(with: backup.stdout) as? [String: Any])?["snapshot"] as? [String: Any])?["id"] as? String
        let lines = Self.logLines(backup.stderr)
        #expect(lines.count == backup.stderr.split(separator: "\n").count && lines.count == 2, "\(backup.stderr)")
        #expect(lines.map { $0["event"] as? String } == ["backup.start", "backup.end"])
        #expect(lines.allSatisfy { $0["level"] as? String == "info" && ($0["time"] as? String)?.hasSuffix("Z") == true && $0["pid"] is Int })
        #expect(lines.first?["sources"] as? String == "crm.sql")
        #expect(lines.last?["snapshot"] as? String == snapshot && snapshot != nil && lines.last?["bytes_read"] as? Int == 4)

        // Text through the environment (as the units set it); an error is logged with its exit code.
        let failed = try s.kura(["backup", "--from-command", "crm.sql=exit 7", "--quiet"], environment: ["KURA_LOG_FORMAT": "text"])
        #expect(failed.status == 1)
        let text = failed.stderr.split(separator: "\n").map(String.init)
        #expect(text.first?.hasPrefix("info backup.start ") == true && text.first?.contains(" sources=crm.sql") == true, "\(failed.stderr)")
        #expect(text.contains { $0.hasPrefix("error backup.error ") && $0.contains(" exit=1") && $0.contains("error=\"") }, "\(failed.stderr)")

        let drill = try s.kura(["drill", "run", "latest", "--restore-command", "cat >/dev/null", "--quiet", "--log-format", "json"])
        #expect(Self.logLines(drill.stderr).map { $0["event"] as? String } == ["drill.start", "drill.end"], "\(drill.stderr)")
        #expect(Self.logLines(drill.stderr).last?["result"] as? String == "passed")
        let failedDrill = try s.kura(["drill", "run", "latest", "--restore-command", "cat >/dev/null", "--verify-command", "exit 3", "--quiet", "--log-format", "json"])
        #expect(failedDrill.status == 1)
        #expect(Self.logLines(failedDrill.stderr).map { $0["event"] as? String } == ["drill.start", "drill.end", "drill.error"], "\(failedDrill.stderr)")
        #expect(Self.logLines(failedDrill.stderr)[1]["result"] as? String == "failed")

        try s.ok(["media", "add", "F1", "--type", "HDD", "--location", "onsite:main"], as: "alice")
        let device = s.fixture.directory.appending("F1.tar")
        let write = try s.kura(["media", "write", "F1", "latest", "--device", device, "--quiet", "--log-format", "json"], as: "alice")
        let written = Self.logLines(write.stderr)
        #expect(write.status == 0 && written.map { $0["event"] as? String } == ["media.write.start", "media.write.end"], "\(write.stderr)")
        #expect(written.first?["serial"] as? String == "F1" && (written.last?["bytes"] as? Int ?? 0) > 0 && written.last?["catalog_event"] is Int)

        let prune = try s.kura(["prune", "--quiet", "--log-format", "json"])
        #expect(Self.logLines(prune.stderr).map { $0["event"] as? String } == ["prune.start", "prune.end"], "\(prune.stderr)")

        #expect(try s.kura(["backup", "--stdin", "--log-format", "xml"]).status == 64)
        #expect(try s.kura(["backup", "--stdin"], environment: ["KURA_LOG_FORMAT": "xml"]).status == 64)
    }
}

extension ISO8601DateFormatter {
    /// Parses catalog times with or without fractional seconds.
    static func fractional(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}

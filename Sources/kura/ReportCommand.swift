import ArgumentParser
import Foundation
import KuraCatalog
import KuraRepository

extension Kura {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "The compliance report: last good backup and drill per source, media, disposals, inventories, audit log.",
            discussion: """
            Per source (a path or stream name, by host and repository): the last successful backup and the last \
            passed drill, with their ages. Media counted by state and by location; disposals not yet validated; \
            media in transit for longer than --max-transit-age; lost media; the newest inventory of each location and its discrepancies; \
            whether the audit log verifies, and whether custodians' identities are anchored to the organisation's CA \
            or self-asserted. The catalog knows of backups run with --catalog or KURA_CATALOG.

            Per source also the newest snapshot copied to another repository (kura copy with --catalog), as the \
            offsite copy an auditor asks for.

            With --max-backup-age, --max-drill-age or --max-copy-age, kura exits 1 and names every source whose last \
            successful backup, passed drill or newest copy elsewhere is older (or missing), so a monitoring job can run it; a medium in transit for \
            longer than --max-transit-age (default 1d), a lost medium and a failed audit verification exit 1 too. A \
            retired source (kura source retire) is never stale. Durations: \(CalendarDuration.syntax); ages are \
            measured from the system clock, and a limit too long for the calendar means no limit.

            --format prometheus prints node_exporter textfile metrics (kura_source_last_backup_timestamp_seconds, \
            kura_source_last_backup_age_seconds, kura_media, kura_transits_overdue, kura_media_lost, \
            kura_audit_log_intact, ...); with --output FILE they replace FILE atomically, also when kura exits 1. \
            --format nagios prints one status line with perfdata and exits 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN \
            (the catalog cannot be read): CRITICAL for a lost medium, a failed audit log, a source never backed up or \
            backed up longer ago than --critical (default 50h); WARNING for a backup older than --warning (default \
            26h), a drill older than --max-drill-age, an overdue transit.
            """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, prometheus, nagios
        }

        @Option(help: ArgumentHelp("Output format: text, json, prometheus (node_exporter textfile) or nagios (one status line, "
            + "plugin exit codes).", valueName: "format"))
        var format: Format?

        @Option(help: ArgumentHelp("With --format prometheus: write the metrics to this file, replaced atomically, "
            + "instead of stdout.", valueName: "file"))
        var output: String?

        @Option(help: ArgumentHelp("Fail when a source's last successful backup is older than this (e.g. 1d, 26h, 1s).", valueName: "duration"))
        var maxBackupAge: CalendarDuration?

        @Option(help: ArgumentHelp("Fail when a source's last passed drill is older than this (e.g. 3m for a quarter).", valueName: "duration"))
        var maxDrillAge: CalendarDuration?

        @Option(help: ArgumentHelp("Fail when the newest snapshot of a source copied to another repository (kura copy) is older than this.",
                                   valueName: "duration"))
        var maxCopyAge: CalendarDuration?

        @Option(help: ArgumentHelp("Fail when a medium has been in transit longer than this (default 1d).", valueName: "duration"))
        var maxTransitAge: CalendarDuration?

        @Option(help: ArgumentHelp("With --format nagios: WARNING when a source's last successful backup is older than this "
            + "(default 26h).", valueName: "duration"))
        var warning: CalendarDuration?

        @Option(help: ArgumentHelp("With --format nagios: CRITICAL when a source's last successful backup is older than this "
            + "(default 50h).", valueName: "duration"))
        var critical: CalendarDuration?

        @OptionGroup var language: LanguageOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var outputOptions: OutputOptions

        var chosenFormat: Format { format ?? (outputOptions.json ? .json : .text) }

        func validate() throws {
            if outputOptions.json && format != nil && format != .json {
                throw ValidationError("--json and --format \(format!.rawValue) contradict each other")
            }
            if output != nil && chosenFormat != .prometheus { throw ValidationError("--output is for --format prometheus") }
            if output == "" { throw ValidationError("--output may not be empty") }
            if (warning != nil || critical != nil) && chosenFormat != .nagios {
                throw ValidationError("--warning and --critical are for --format nagios (use --max-backup-age otherwise)")
            }
            if chosenFormat == .nagios && maxBackupAge != nil {
                throw ValidationError("with --format nagios, give the backup age limits as --warning and --critical")
            }
        }

        func run() throws {
            guard chosenFormat == .nagios else { return try runReport() }
            let result: (status: ReportNagios.Status, line: String)
            do {
                result = try nagios()
            } catch {
                let message = (error as? any UserFacingError)?.userMessage ?? "\(error)"
                print("KURA UNKNOWN - \(message)")
                throw ExitCode(ReportNagios.Status.unknown.rawValue)
            }
            print(result.line)
            if result.status != .ok { throw ExitCode(result.status.rawValue) }
        }

        private static func limit(_ age: CalendarDuration?, _ now: Date) -> ComplianceReport.Limit? {
            age.map { ComplianceReport.Limit(deadline: $0.before(now, calendar: .current), text: $0.description) }
        }

        private func makeReport(_ catalog: Catalog, backupLimit: CalendarDuration?) throws -> ComplianceReport {
            let now = catalog.now
            return try catalog.complianceReport(backupLimit: Self.limit(backupLimit, now), drillLimit: Self.limit(maxDrillAge, now),
                                                transitLimit: Self.limit(maxTransitAge, now), copyLimit: Self.limit(maxCopyAge, now))
        }

        private func nagios() throws -> (status: ReportNagios.Status, line: String) {
            let catalog = try catalog.openExisting()
            let now = catalog.now
            let report = try makeReport(catalog, backupLimit: nil)
            return ReportNagios(report: report, now: now,
                                warning: Self.limit(warning ?? CalendarDuration(hours: 26), now)!,
                                critical: Self.limit(critical ?? CalendarDuration(hours: 50), now)!,
                                drillLimit: Self.limit(maxDrillAge, now)).result
        }

        private func runReport() throws {
            let opened = try catalog.openExisting()
            let now = opened.now
            let report = try makeReport(opened, backupLimit: maxBackupAge)
            switch chosenFormat {
            case .json:
                let transitLimit = Self.limit(maxTransitAge, now).map { now.timeIntervalSince($0.deadline) } ?? 86_400
                try Terminal.printJSON(ReportJSON(report, now: now, transitLimit: transitLimit))
            case .prometheus:
                let metrics = ReportPrometheus(report: report).text
                if let output {
                    do {
                        try AtomicFile.write(output, Array(metrics.utf8))
                    } catch {
                        throw CommandFailure("cannot write the metrics to \(output): \(error)")
                    }
                } else {
                    print(metrics, terminator: "")
                }
            case .text, .nagios:
                if !outputOptions.quiet { ReportText(report: report, language: language.language).print() }
            }
            if !report.stale.isEmpty {
                for line in report.staleLines(in: language.language) { Terminal.printError("stale: \(line)") }
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
    }
}

/// `kura report` as text, in English or Japanese (times in JST); the words are in `ReportTextStrings`.
struct ReportText {
    let report: ComplianceReport
    var language = DocumentLanguage.en

    func print() {
        let s = ReportTextStrings.for(language)
        let time = language.time as (String) -> String
        Swift.print(s.heading(time(report.generatedAt)))
        Swift.print("\n" + s.sources + (report.sources.isEmpty ? s.gap + s.noneRecorded : ""))
        for source in report.sources {
            Swift.print("  " + s.sourceLabel(source.name, source.host, String(source.repositoryID.prefix(8)))
                + (source.retired.map { r in s.retired(r.retiredBy, time(r.retiredAt), r.reason) } ?? ""))
            if let backup = source.lastSuccessfulBackup {
                Swift.print("    " + s.lastBackup + s.backup(time(backup.snapshotTime), s.age(source.backupAgeSeconds),
                                                            String(backup.snapshotID.prefix(8)), Terminal.formatBytes(Int(backup.bytes))))
            } else {
                Swift.print("    " + s.lastBackup + s.none)
            }
            if let other = source.lastBackupIfNotSuccessful {
                Swift.print("    " + s.newerBackup(String(other.snapshotID.prefix(8)), time(other.snapshotTime), other.result.rawValue))
            }
            if let drill = source.lastPassedDrill {
                Swift.print("    " + s.lastDrill + s.drill(time(drill.performedAt), s.age(source.drillAgeSeconds), drill.id,
                                                          String(drill.snapshotID.prefix(8)), drill.medium.map(s.fromMedium) ?? s.fromRepository,
                                                          Double(drill.restoreMilliseconds) / 1000, drill.performedBy))
            } else {
                Swift.print("    " + s.lastDrill + s.none)
            }
            if let copy = source.lastCopy {
                Swift.print("    " + s.newestCopy + s.copy(time(copy.snapshotTime), s.age(source.copyAgeSeconds),
                                                           String(copy.destinationRepositoryID.prefix(8)), String(copy.destinationSnapshotID.prefix(8))))
            }
            if let failed = source.lastDrillIfFailed {
                Swift.print("    " + s.failedDrill(failed.id, time(failed.performedAt), failed.detail))
            }
        }
        Swift.print("\n" + s.mediaByState + counts(report.mediaByState, s))
        Swift.print(s.mediaByLocation + counts(report.mediaByLocation, s))
        Swift.print("\n" + s.pendingDisposals + (report.pendingDisposals.isEmpty ? s.gap + s.none : ""))
        for d in report.pendingDisposals {
            Swift.print("  " + s.disposal(d.serial, d.requestedBy, time(d.requestedAt), d.approvedBy, d.performedBy))
        }
        Swift.print(s.inTransitLongerThan(report.maxTransitAge) + (report.longInTransit.isEmpty ? s.gap + s.none : ""))
        Swift.print(s.lostMedia + s.gap + (report.lostMedia.isEmpty ? s.none : report.lostMedia.joined(separator: s.listSeparator)))
        for t in report.longInTransit {
            Swift.print("  " + s.transit(t.serial, t.from, t.to, t.courier, t.sentBy, time(t.sentAt), Int(t.hours)))
        }
        Swift.print(s.lastInventories + (report.lastInventories.isEmpty ? s.gap + s.none : ""))
        for i in report.lastInventories {
            let problems = [(s.missing, i.missing), (s.unexpected, i.unexpected), (s.misplaced, i.misplaced)]
                .filter { !$0.1.values.isEmpty }.map { "\($0.0) \($0.1.values.joined(separator: s.listSeparator))" }
            Swift.print("  " + s.inventory(i.location, time(i.takenAt), i.takenBy, problems))
        }
        Swift.print("\n" + (report.audit.intact ? s.auditIntact(report.audit.events, String(report.audit.headHash.prefix(16)))
            : s.auditFailed(report.audit.problems.first ?? "?")))
        guard language == .ja else { return IdentitiesText.print(report.identities) }
        Swift.print(s.identities(report.identities))
        guard report.identities.anchored else { return }
        for custodian in report.identities.custodians {
            Swift.print("  " + s.custodianCertificate(custodian.name, custodian.certificateSubject))
        }
    }

    private func counts(_ values: [String: Int], _ s: ReportTextStrings) -> String {
        s.gap + (values.isEmpty ? s.none
            : values.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: s.listSeparator))
    }
}

extension Kura.Report: JSONOutputCommand {
    var printsJSON: Bool { chosenFormat == .json }
}

import Foundation
import GRDB

/// The one page an auditor asks for (`kura report`): per source the last good backup and drill, where every
/// medium is, what waits for disposal or is overdue in transit, the last inventories, and whether the audit log
/// verifies. Built from the current-state tables; the audit status says whether those match the signed log.
public struct ComplianceReport: Codable, Sendable {
    /// One backed-up source: a path or stream name, from one host, in one repository.
    public struct Source: Codable, Sendable {
        public var repositoryID: String
        public var host: String
        public var name: String
        public var lastSuccessfulBackup: BackupRecord?
        /// The newest backup of any result, when it is newer than the last successful one (a partial backup).
        public var lastBackupIfNotSuccessful: BackupRecord?
        public var lastPassedDrill: DrillRecord?
        /// The newest drill, when it failed after the last passed one.
        public var lastDrillIfFailed: DrillRecord?
        public var backupAgeSeconds: Int64?
        public var drillAgeSeconds: Int64?
        /// The newest snapshot of this source copied to another repository (`kura copy`), and its age.
        public var lastCopy: RepositoryCopyRecord?
        public var copyAgeSeconds: Int64?
        /// Set when the source was retired after its newest backup (`kura source retire`): it is never stale.
        public var retired: SourceRetirement?

        /// How messages name it: `crm.sql (host db1, repository 1a2b3c4d)`.
        public var label: String { "\(name) (host \(host), repository \(repositoryID.prefix(8)))" }

        enum CodingKeys: String, CodingKey {
            case repositoryID = "repository_id", host, name, lastSuccessfulBackup = "last_successful_backup",
                 lastBackupIfNotSuccessful = "last_backup_not_successful", lastPassedDrill = "last_passed_drill",
                 lastDrillIfFailed = "last_drill_failed", backupAgeSeconds = "backup_age_seconds",
                 drillAgeSeconds = "drill_age_seconds", lastCopy = "last_copy", copyAgeSeconds = "copy_age_seconds", retired
        }
    }

    public struct InTransit: Codable, Sendable {
        public var serial: String
        public var from: String
        public var to: String
        public var courier: String
        public var sentBy: String
        public var sentAt: String
        public var hours: Int64

        enum CodingKeys: String, CodingKey {
            case serial, from, to, courier, sentBy = "sent_by", sentAt = "sent_at", hours
        }
    }

    public struct AuditStatus: Codable, Sendable {
        public var intact: Bool
        public var events: Int64
        public var headHash: String
        public var problems: [String]

        enum CodingKeys: String, CodingKey {
            case intact, events, headHash = "head_hash", problems
        }
    }

    public var generatedAt: String
    public var sources: [Source]
    public var mediaByState: [String: Int]
    public var mediaByLocation: [String: Int]
    public var pendingDisposals: [DisposalRecord]
    /// Media in transit for longer than `maxTransitAge`.
    public var longInTransit: [InTransit]
    /// How long a medium may be in transit before it is overdue (`1d` unless the report was asked otherwise).
    public var maxTransitAge: String
    /// Serials of the media in state lost.
    public var lostMedia: [String]
    /// The newest inventory of each location.
    public var lastInventories: [InventoryRecord]
    public var audit: AuditStatus
    /// Whether custodians' identities are anchored to the organisation's CA or self-asserted.
    public var identities: CustodianIdentities
    /// One line per exceeded threshold (and a broken audit log), in English; empty when all is well.
    /// `staleLines(in:)` gives them in the document's language.
    public var stale: [String]
    /// The limits the report was built with, for `staleLines(in:)`.
    var limits: (backup: Limit?, drill: Limit?, copy: Limit?) = (nil, nil, nil)

    enum CodingKeys: String, CodingKey {
        case generatedAt = "generated_at", sources, mediaByState = "media_by_state", mediaByLocation = "media_by_location",
             pendingDisposals = "pending_disposals", longInTransit = "long_in_transit", maxTransitAge = "max_transit_age",
             lostMedia = "lost_media", lastInventories = "last_inventories",
             audit, identities, stale
    }

    /// An age limit: anything older than `deadline` is stale; `text` says the limit in words (e.g. `1d`).
    public struct Limit: Sendable {
        public var deadline: Date
        public var text: String
        public init(deadline: Date, text: String) {
            self.deadline = deadline
            self.text = text
        }
    }
}

extension Catalog {
    /// Builds the report at the catalog's clock. A source whose last successful backup is older than
    /// `backupLimit`, or whose last passed drill is older than `drillLimit` (or that has none), is named in
    /// `stale`; so is a catalog with no backups when a backup limit is given, and an audit log that fails
    /// verification. A retired source is never stale. A medium in transit since before `transitLimit` (default: a
    /// day before now) and a lost medium are named in `stale` too. With `copyLimit`, so is a source whose newest
    /// copied snapshot (`kura copy`) is older, or that has none.
    public func complianceReport(backupLimit: ComplianceReport.Limit? = nil,
                                 drillLimit: ComplianceReport.Limit? = nil,
                                 transitLimit: ComplianceReport.Limit? = nil,
                                 copyLimit: ComplianceReport.Limit? = nil) throws -> ComplianceReport {
        let time = now
        let transitLimit = transitLimit ?? ComplianceReport.Limit(deadline: time.addingTimeInterval(-86_400), text: "1d")
        let verification = try verify()
        return try storage {
            try database.read { db in
                let backups = try BackupRecord.inOrder().fetchAll(db)
                let drills = try DrillRecord.inOrder().fetchAll(db)
                let copies = try RepositoryCopyRecord.inOrder().fetchAll(db)
                let media = try MediumRecord.fetchAll(db)
                var report = ComplianceReport(
                    generatedAt: CatalogTime.format(time),
                    sources: Self.sources(backups: backups, drills: drills, copies: copies, retirements: try Self.sourceRetirements(db),
                                          now: time),
                    mediaByState: Dictionary(grouping: media, by: \.state.rawValue).mapValues(\.count),
                    mediaByLocation: Dictionary(grouping: media.filter { $0.state != .disposed }, by: \.location).mapValues(\.count),
                    pendingDisposals: try DisposalRecord.filter(sql: "validate_event IS NULL AND cancel_event IS NULL").order(DisposalRecord.Columns.id).fetchAll(db),
                    longInTransit: try Self.longInTransit(media: media, db: db, limit: transitLimit, now: time),
                    maxTransitAge: transitLimit.text,
                    lostMedia: media.filter { $0.state == .lost }.map(\.serial).sorted(),
                    lastInventories: try Self.lastInventories(db),
                    audit: .init(intact: verification.isIntact, events: verification.verifiedEvents, headHash: verification.headHash,
                                 problems: verification.problems),
                    identities: verification.identities,
                    stale: [])
                report.limits = (backupLimit, drillLimit, copyLimit)
                report.stale = report.staleLines(in: .en)
                return report
            }
        }
    }

    private struct SourceKey: Hashable, Comparable {
        var repositoryID, host, name: String
        static func < (a: Self, b: Self) -> Bool { (a.repositoryID, a.host, a.name) < (b.repositoryID, b.host, b.name) }
    }

    private static func sources(backups: [BackupRecord], drills: [DrillRecord], copies: [RepositoryCopyRecord], retirements: [SourceRetirement],
                                now: Date) -> [ComplianceReport.Source] {
        var sources: [SourceKey: ComplianceReport.Source] = [:]
        var newestBackup: [SourceKey: Int64] = [:]
        func entry(_ key: SourceKey) -> ComplianceReport.Source {
            sources[key] ?? ComplianceReport.Source(repositoryID: key.repositoryID, host: key.host, name: key.name)
        }
        func age(_ text: String) -> Int64? { CatalogTime.parse(text).map { Int64(now.timeIntervalSince($0).rounded(.down)) } }
        for backup in backups {
            for name in backup.sources.values {
                let key = SourceKey(repositoryID: backup.repositoryID, host: backup.host, name: name)
                var source = entry(key)
                newestBackup[key] = max(newestBackup[key] ?? 0, backup.id)
                if backup.result == .success {
                    source.lastSuccessfulBackup = backup
                    source.lastBackupIfNotSuccessful = nil
                    source.backupAgeSeconds = age(backup.snapshotTime)
                } else {
                    source.lastBackupIfNotSuccessful = backup
                }
                sources[key] = source
            }
        }
        for drill in drills {
            for name in drill.sources.values {
                let key = SourceKey(repositoryID: drill.repositoryID, host: drill.host, name: name)
                var source = entry(key)
                if drill.passed {
                    source.lastPassedDrill = drill
                    source.lastDrillIfFailed = nil
                    source.drillAgeSeconds = age(drill.performedAt)
                } else {
                    source.lastDrillIfFailed = drill
                }
                sources[key] = source
            }
        }
        for copy in copies {
            for name in copy.sources.values {
                let key = SourceKey(repositoryID: copy.sourceRepositoryID, host: copy.host, name: name)
                var source = entry(key)
                let newer = source.lastCopy.map { (CatalogTime.parse($0.snapshotTime) ?? .distantPast)
                    <= (CatalogTime.parse(copy.snapshotTime) ?? .distantPast) } ?? true
                if newer {
                    source.lastCopy = copy
                    source.copyAgeSeconds = age(copy.snapshotTime)
                }
                sources[key] = source
            }
        }
        for (key, id) in newestBackup {
            sources[key]?.retired = SourceRetirement.inEffect(retirements, host: key.host, name: key.name, lastBackup: id)
        }
        return sources.keys.sorted().map { sources[$0]! }
    }

    private static func longInTransit(media: [MediumRecord], db: Database, limit: ComplianceReport.Limit,
                                      now: Date) throws -> [ComplianceReport.InTransit] {
        let moving = Set(media.filter { $0.state.isLive && $0.place?.kind == .inTransit }.map(\.serial))
        return try CustodyMoveRecord.filter(sql: "receive_event IS NULL").order(CustodyMoveRecord.Columns.id).fetchAll(db)
            .compactMap { move in
                guard moving.contains(move.serial), let sent = CatalogTime.parse(move.sentAt),
                      sent < limit.deadline else { return nil }
                return ComplianceReport.InTransit(serial: move.serial, from: move.fromLocation, to: move.toLocation,
                                                  courier: move.courier, sentBy: move.sentBy, sentAt: move.sentAt,
                                                  hours: Int64(now.timeIntervalSince(sent) / 3600))
            }
    }

    private static func lastInventories(_ db: Database) throws -> [InventoryRecord] {
        var newest: [String: InventoryRecord] = [:]
        for inventory in try InventoryRecord.order(InventoryRecord.Columns.id).fetchAll(db) { newest[inventory.location] = inventory }
        return newest.keys.sorted().map { newest[$0]! }
    }

}

extension ComplianceReport {
    /// `stale`'s lines in `language` (times in its time zone).
    public func staleLines(in language: DocumentLanguage) -> [String] {
        let ja = language == .ja
        let t = language.time as (String) -> String
        func ago(_ seconds: Int64?) -> String {
            seconds.map { ja ? "\($0) 秒前" : "\($0) s ago" } ?? (ja ? "読めない時刻" : "at an unreadable time")
        }
        var lines: [String] = []
        if limits.backup != nil && !sources.contains(where: { $0.lastSuccessfulBackup != nil }) {
            lines.append(ja ? "カタログに成功したバックアップの記録がありません" : "no successful backup is recorded in the catalog")
        }
        for source in sources where source.retired == nil {
            let name = source.label
            if let limit = limits.backup {
                if let backup = source.lastSuccessfulBackup {
                    if (CatalogTime.parse(backup.snapshotTime) ?? .distantPast) < limit.deadline {
                        lines.append(ja ? "ソース \(name): 最後に成功したバックアップ \(t(backup.snapshotTime))（\(ago(source.backupAgeSeconds))）が \(limit.text) より古い"
                            : "source \(name): last successful backup \(backup.snapshotTime) (\(ago(source.backupAgeSeconds))) is older than \(limit.text)")
                    }
                } else {
                    lines.append(ja ? "ソース \(name): 成功したバックアップの記録がありません" : "source \(name): no successful backup recorded")
                }
            }
            if let limit = limits.copy, source.lastSuccessfulBackup != nil {
                if let copy = source.lastCopy {
                    if (CatalogTime.parse(copy.snapshotTime) ?? .distantPast) < limit.deadline {
                        lines.append(ja ? "ソース \(name): 別リポジトリへの最新のコピーは \(t(copy.snapshotTime)) のスナップショット（\(ago(source.copyAgeSeconds))）で、\(limit.text) より古い"
                            : "source \(name): newest copy in another repository is of a snapshot from "
                                + "\(copy.snapshotTime) (\(ago(source.copyAgeSeconds))), older than \(limit.text)")
                    }
                } else {
                    lines.append(ja ? "ソース \(name): 別リポジトリへのコピーの記録がありません" : "source \(name): no copy in another repository recorded")
                }
            }
            if let limit = limits.drill {
                if let drill = source.lastPassedDrill {
                    if (CatalogTime.parse(drill.performedAt) ?? .distantPast) < limit.deadline {
                        lines.append(ja ? "ソース \(name): 最後に合格した復元訓練 \(t(drill.performedAt))（\(ago(source.drillAgeSeconds))）が \(limit.text) より古い"
                            : "source \(name): last passed drill \(drill.performedAt) (\(ago(source.drillAgeSeconds))) is older than \(limit.text)")
                    }
                } else {
                    lines.append(ja ? "ソース \(name): 合格した復元訓練の記録がありません" : "source \(name): no passed drill recorded")
                }
            }
        }
        for transit in longInTransit {
            lines.append(ja ? "媒体 \(transit.serial) は \(t(transit.sentAt)) から \(transit.courier) で \(transit.to) へ輸送中（\(transit.hours) 時間）で、\(maxTransitAge) を超えています"
                : "medium \(transit.serial) has been in transit to \(transit.to) with \(transit.courier) since \(transit.sentAt) "
                    + "(\(transit.hours) h), longer than \(maxTransitAge)")
        }
        for serial in lostMedia {
            lines.append(ja ? "媒体 \(serial) は紛失しています" : "medium \(serial) is lost")
        }
        if !audit.intact {
            let problem = audit.problems.first ?? "?"
            lines.append(ja ? "監査ログの検証に失敗しました: \(problem)" : "audit log does not verify: \(problem)")
        }
        return lines
    }
}

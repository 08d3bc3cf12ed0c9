import Foundation
import KuraCatalog

/// What `kura report --json` prints: the compliance report, with drills as drill objects, ages and
/// durations in seconds and times as `JSONTime` gives them.
struct ReportJSON: Encodable {
    /// A backup or repository copy the catalog recorded; `duration_seconds` rather than the stored milliseconds.
    struct Backup: Encodable {
        var id: Int64
        var repositoryID: String
        var snapshotID: String
        var host: String
        var sources: [String]
        var bytes: Int64
        var snapshotTime: String
        var durationSeconds: Double
        var result: String
        var recordedBy: String

        init(_ r: BackupRecord) {
            id = r.id; repositoryID = r.repositoryID; snapshotID = r.snapshotID; host = r.host; sources = r.sources.values
            bytes = r.bytes; snapshotTime = JSONTime.string(r.snapshotTime); durationSeconds = Double(r.durationMilliseconds) / 1000
            result = r.result.rawValue; recordedBy = r.recordedBy
        }

        enum CodingKeys: String, CodingKey {
            case id, repositoryID = "repository_id", snapshotID = "snapshot_id", host, sources, bytes, snapshotTime = "snapshot_time",
                 durationSeconds = "duration_seconds", result, recordedBy = "recorded_by"
        }
    }

    struct Copy: Encodable {
        var id: Int64
        var sourceRepositoryID: String
        var sourceSnapshotID: String
        var destinationRepositoryID: String
        var destinationSnapshotID: String
        var host: String
        var sources: [String]
        var snapshotTime: String
        var bytesSent: Int64
        var durationSeconds: Double
        var recordedBy: String

        init(_ r: RepositoryCopyRecord) {
            id = r.id; sourceRepositoryID = r.sourceRepositoryID; sourceSnapshotID = r.sourceSnapshotID
            destinationRepositoryID = r.destinationRepositoryID; destinationSnapshotID = r.destinationSnapshotID; host = r.host
            sources = r.sources.values; snapshotTime = JSONTime.string(r.snapshotTime); bytesSent = r.bytesSent
            durationSeconds = Double(r.durationMilliseconds) / 1000; recordedBy = r.recordedBy
        }

        enum CodingKeys: String, CodingKey {
            case id, sourceRepositoryID = "source_repository_id", sourceSnapshotID = "source_snapshot_id",
                 destinationRepositoryID = "destination_repository_id", destinationSnapshotID = "destination_snapshot_id", host, sources,
                 snapshotTime = "snapshot_time", bytesSent = "bytes_sent", durationSeconds = "duration_seconds", recordedBy = "recorded_by"
        }
    }

    struct Source: Encodable {
        var repositoryID: String
        var host: String
        var name: String
        var lastSuccessfulBackup: Backup?
        var lastBackupNotSuccessful: Backup?
        var lastPassedDrill: DrillJSON?
        var lastDrillFailed: DrillJSON?
        var backupAgeSeconds: Int64?
        var drillAgeSeconds: Int64?
        var lastCopy: Copy?
        var copyAgeSeconds: Int64?
        var retired: SourceRetirement?

        init(_ s: ComplianceReport.Source) {
            repositoryID = s.repositoryID; host = s.host; name = s.name
            lastSuccessfulBackup = s.lastSuccessfulBackup.map(Backup.init)
            lastBackupNotSuccessful = s.lastBackupIfNotSuccessful.map(Backup.init)
            lastPassedDrill = s.lastPassedDrill.map(DrillJSON.init)
            lastDrillFailed = s.lastDrillIfFailed.map(DrillJSON.init)
            backupAgeSeconds = s.backupAgeSeconds; drillAgeSeconds = s.drillAgeSeconds
            lastCopy = s.lastCopy.map(Copy.init); copyAgeSeconds = s.copyAgeSeconds
            retired = s.retired.map { var r = $0; r.retiredAt = JSONTime.string(r.retiredAt); return r }
        }

        enum CodingKeys: String, CodingKey {
            case repositoryID = "repository_id", host, name, lastSuccessfulBackup = "last_successful_backup",
                 lastBackupNotSuccessful = "last_backup_not_successful", lastPassedDrill = "last_passed_drill",
                 lastDrillFailed = "last_drill_failed", backupAgeSeconds = "backup_age_seconds", drillAgeSeconds = "drill_age_seconds",
                 lastCopy = "last_copy", copyAgeSeconds = "copy_age_seconds", retired
        }

        /// Every key present, null when there is nothing to report.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(repositoryID, forKey: .repositoryID)
            try c.encode(host, forKey: .host)
            try c.encode(name, forKey: .name)
            try c.encode(lastSuccessfulBackup, forKey: .lastSuccessfulBackup)
            try c.encode(lastBackupNotSuccessful, forKey: .lastBackupNotSuccessful)
            try c.encode(lastPassedDrill, forKey: .lastPassedDrill)
            try c.encode(lastDrillFailed, forKey: .lastDrillFailed)
            try c.encode(backupAgeSeconds, forKey: .backupAgeSeconds)
            try c.encode(drillAgeSeconds, forKey: .drillAgeSeconds)
            try c.encode(lastCopy, forKey: .lastCopy)
            try c.encode(copyAgeSeconds, forKey: .copyAgeSeconds)
            try c.encode(retired, forKey: .retired)
        }
    }

    struct InTransit: Encodable {
        var serial: String
        var from: String
        var to: String
        var courier: String
        var sentBy: String
        var sentAt: String
        var secondsInTransit: Int64

        enum CodingKeys: String, CodingKey {
            case serial, from, to, courier, sentBy = "sent_by", sentAt = "sent_at", secondsInTransit = "seconds_in_transit"
        }
    }

    var generatedAt: String
    var sources: [Source]
    var mediaByState: [String: Int]
    var mediaByLocation: [String: Int]
    var pendingDisposals: [DisposalRecord]
    var longInTransit: [InTransit]
    var maxTransitAgeSeconds: Int64
    var lostMedia: [String]
    var lastInventories: [InventoryRecord]
    var audit: ComplianceReport.AuditStatus
    var identities: CustodianIdentities
    /// One sentence per limit exceeded; `report` exits 1 when there is any.
    var stale: [String]

    /// `transitLimit` is how long a medium may be in transit before it is listed (`--max-transit-age`).
    init(_ report: ComplianceReport, now: Date, transitLimit: TimeInterval) {
        generatedAt = JSONTime.string(report.generatedAt)
        sources = report.sources.map(Source.init)
        mediaByState = report.mediaByState
        mediaByLocation = report.mediaByLocation
        pendingDisposals = report.pendingDisposals
        longInTransit = report.longInTransit.map {
            InTransit(serial: $0.serial, from: $0.from, to: $0.to, courier: $0.courier, sentBy: $0.sentBy, sentAt: JSONTime.string($0.sentAt),
                      secondsInTransit: CatalogTime.parse($0.sentAt).map { Int64(now.timeIntervalSince($0)) } ?? $0.hours * 3600)
        }
        maxTransitAgeSeconds = Int64(transitLimit.rounded())
        lostMedia = report.lostMedia
        lastInventories = report.lastInventories
        audit = report.audit
        identities = report.identities
        stale = report.stale
    }

    enum CodingKeys: String, CodingKey {
        case generatedAt = "generated_at", sources, mediaByState = "media_by_state", mediaByLocation = "media_by_location",
             pendingDisposals = "pending_disposals", longInTransit = "long_in_transit", maxTransitAgeSeconds = "max_transit_age_seconds",
             lostMedia = "lost_media", lastInventories = "last_inventories", audit, identities, stale
    }
}

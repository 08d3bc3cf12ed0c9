import Foundation
import GRDB

/// A finished backup, as `kura backup` reports it to the catalog.
public struct BackupRun: Sendable, Equatable {
    public var repositoryID: String
    public var snapshotID: String
    public var host: String
    public var sources: [String]
    public var bytes: Int64
    public var snapshotTime: Date
    public var duration: Double
    public var result: BackupResult

    public init(repositoryID: String, snapshotID: String, host: String, sources: [String], bytes: Int64, snapshotTime: Date,
                duration: Double, result: BackupResult) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.host = host
        self.sources = sources
        self.bytes = bytes
        self.snapshotTime = snapshotTime
        self.duration = duration
        self.result = result
    }
}

extension Catalog {
    /// Records a backup as an unsigned machine event of `reporter` (the host kura runs on).
    @discardableResult
    public func recordBackup(_ run: BackupRun, reporter: String) throws -> BackupRecord {
        let change = CatalogChange(BackupRecorded(
            repositoryID: run.repositoryID, snapshotID: run.snapshotID, host: run.host, sources: run.sources, bytes: run.bytes,
            snapshotTime: CatalogTime.format(run.snapshotTime), milliseconds: Int64((run.duration * 1000).rounded()),
            result: run.result))
        let event = try appendMachineEvent(change, host: reporter)
        return try storage { try database.read { try BackupRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Every backup recorded, oldest first.
    public func backups() throws -> [BackupRecord] {
        try storage { try database.read { try BackupRecord.inOrder().fetchAll($0) } }
    }
}

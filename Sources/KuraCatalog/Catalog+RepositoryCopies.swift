import Foundation
import GRDB

/// A finished copy of one snapshot, as `kura copy` reports it to the catalog.
public struct RepositoryCopyRun: Sendable, Equatable {
    public var sourceRepositoryID: String
    public var sourceSnapshotID: String
    public var destinationRepositoryID: String
    public var destinationSnapshotID: String
    public var host: String
    public var sources: [String]
    public var snapshotTime: Date
    public var bytesSent: Int64
    public var duration: Double

    public init(sourceRepositoryID: String, sourceSnapshotID: String, destinationRepositoryID: String, destinationSnapshotID: String,
                host: String, sources: [String], snapshotTime: Date, bytesSent: Int64, duration: Double) {
        self.sourceRepositoryID = sourceRepositoryID
        self.sourceSnapshotID = sourceSnapshotID
        self.destinationRepositoryID = destinationRepositoryID
        self.destinationSnapshotID = destinationSnapshotID
        self.host = host
        self.sources = sources
        self.snapshotTime = snapshotTime
        self.bytesSent = bytesSent
        self.duration = duration
    }
}

extension Catalog {
    /// Records a copy as an unsigned machine event of `reporter` (the host kura runs on).
    @discardableResult
    public func recordRepositoryCopy(_ run: RepositoryCopyRun, reporter: String) throws -> RepositoryCopyRecord {
        let change = CatalogChange(SnapshotCopied(
            sourceRepositoryID: run.sourceRepositoryID, sourceSnapshotID: run.sourceSnapshotID,
            destinationRepositoryID: run.destinationRepositoryID, destinationSnapshotID: run.destinationSnapshotID,
            host: run.host, sources: run.sources, snapshotTime: CatalogTime.format(run.snapshotTime), bytesSent: run.bytesSent,
            milliseconds: Int64((run.duration * 1000).rounded())))
        let event = try appendMachineEvent(change, host: reporter)
        return try storage { try database.read { try RepositoryCopyRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Every copy recorded, oldest first.
    public func repositoryCopies() throws -> [RepositoryCopyRecord] {
        try storage { try database.read { try RepositoryCopyRecord.inOrder().fetchAll($0) } }
    }
}

import Foundation
import GRDB

/// A finished restore drill, as `kura drill` reports it to the catalog.
public struct DrillRun: Sendable, Equatable {
    public var repositoryID: String
    public var snapshotID: String
    public var host: String
    public var sources: [String]
    public var medium: String?
    public var method: DrillMethod
    public var restoreCommand: String?
    public var verifyCommand: String?
    public var bytes: Int64
    public var seconds: Double
    public var result: DrillResult
    public var detail: String?

    public init(repositoryID: String, snapshotID: String, host: String, sources: [String], medium: String? = nil,
                method: DrillMethod, restoreCommand: String? = nil, verifyCommand: String? = nil, bytes: Int64, seconds: Double,
                result: DrillResult, detail: String? = nil) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.host = host
        self.sources = sources
        self.medium = medium
        self.method = method
        self.restoreCommand = restoreCommand
        self.verifyCommand = verifyCommand
        self.bytes = bytes
        self.seconds = seconds
        self.result = result
        self.detail = detail
    }

    var payload: DrillRecorded {
        DrillRecorded(repositoryID: repositoryID, snapshotID: snapshotID, host: host, sources: sources, medium: medium,
                      method: method, restoreCommand: restoreCommand, verifyCommand: verifyCommand, bytes: bytes,
                      milliseconds: Int64((seconds * 1000).rounded()), result: result, detail: detail)
    }
}

extension Catalog {
    /// Records a drill signed by the custodian `actor`.
    @discardableResult
    public func recordDrill(_ run: DrillRun, as actor: String, passphrase: () throws -> String) throws -> DrillRecord {
        let event = try append(CatalogChange(run.payload), as: actor, passphrase: passphrase)
        return try storage { try database.read { try DrillRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Records a drill as an unsigned machine event of `reporter` (the host it ran on).
    @discardableResult
    public func recordDrill(_ run: DrillRun, reporter: String) throws -> DrillRecord {
        let event = try appendMachineEvent(CatalogChange(run.payload), host: reporter)
        return try storage { try database.read { try DrillRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Every drill recorded, oldest first.
    public func drills() throws -> [DrillRecord] {
        try storage { try database.read { try DrillRecord.inOrder().fetchAll($0) } }
    }
}

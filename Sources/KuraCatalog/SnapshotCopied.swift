/// `kura copy` made a copy of a snapshot in another repository.
public struct SnapshotCopied: MachineEventPayload {
    public static let kind = "snapshot.copied"
    public var sourceRepositoryID: String
    public var sourceSnapshotID: String
    public var destinationRepositoryID: String
    public var destinationSnapshotID: String
    public var host: String
    public var sources: [String]
    public var snapshotTime: String
    public var bytesSent: Int64
    public var milliseconds: Int64
    public var subject: String { sourceSnapshotID }

    public init(sourceRepositoryID: String, sourceSnapshotID: String, destinationRepositoryID: String, destinationSnapshotID: String,
                host: String, sources: [String], snapshotTime: String, bytesSent: Int64, milliseconds: Int64) {
        self.sourceRepositoryID = sourceRepositoryID
        self.sourceSnapshotID = sourceSnapshotID
        self.destinationRepositoryID = destinationRepositoryID
        self.destinationSnapshotID = destinationSnapshotID
        self.host = host
        self.sources = sources
        self.snapshotTime = snapshotTime
        self.bytesSent = bytesSent
        self.milliseconds = milliseconds
    }
}

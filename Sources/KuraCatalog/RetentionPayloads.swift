/// Event payloads of retention (issue 5): snapshot holds, backups and restore drills. Their subject is the
/// snapshot id; man/kura-catalog.5 lists their keys.

/// An event kind that a machine may append without a custodian: its actor is `host:NAME` and its signature is
/// empty (a cron job has nobody to sign). The hash chain still covers it; a custodian may sign one instead.
public protocol MachineEventPayload: EventPayload {}

public struct SnapshotHoldPlaced: EventPayload {
    public static let kind = "snapshot.hold-placed"
    public var repositoryID: String
    public var snapshotID: String
    public var reason: String
    public var subject: String { snapshotID }

    public init(repositoryID: String, snapshotID: String, reason: String) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.reason = reason
    }
}

public struct SnapshotHoldReleased: EventPayload {
    public static let kind = "snapshot.hold-released"
    public var repositoryID: String
    public var snapshotID: String
    /// The id of the hold (the sequence of the event that placed it).
    public var hold: Int64
    public var subject: String { snapshotID }

    public init(repositoryID: String, snapshotID: String, hold: Int64) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.hold = hold
    }
}

public struct BackupRecorded: MachineEventPayload {
    public static let kind = "backup.recorded"
    public var repositoryID: String
    public var snapshotID: String
    public var host: String
    public var sources: [String]
    public var bytes: Int64
    public var snapshotTime: String
    public var milliseconds: Int64
    /// `success`, or `partial` when some sources could not be read.
    public var result: BackupResult
    public var subject: String { snapshotID }

    public init(repositoryID: String, snapshotID: String, host: String, sources: [String], bytes: Int64, snapshotTime: String,
                milliseconds: Int64, result: BackupResult) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.host = host
        self.sources = sources
        self.bytes = bytes
        self.snapshotTime = snapshotTime
        self.milliseconds = milliseconds
        self.result = result
    }
}

public struct DrillRecorded: MachineEventPayload {
    public static let kind = "drill.recorded"
    public var repositoryID: String
    public var snapshotID: String
    public var host: String
    public var sources: [String]
    /// The medium restored from; nil for the repository.
    public var medium: String?
    public var method: DrillMethod
    public var restoreCommand: String?
    public var verifyCommand: String?
    public var bytes: Int64
    public var milliseconds: Int64
    public var result: DrillResult
    public var detail: String?
    public var subject: String { snapshotID }

    public init(repositoryID: String, snapshotID: String, host: String, sources: [String], medium: String?, method: DrillMethod,
                restoreCommand: String?, verifyCommand: String?, bytes: Int64, milliseconds: Int64, result: DrillResult,
                detail: String?) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.host = host
        self.sources = sources
        self.medium = medium
        self.method = method
        self.restoreCommand = restoreCommand
        self.verifyCommand = verifyCommand
        self.bytes = bytes
        self.milliseconds = milliseconds
        self.result = result
        self.detail = detail
    }
}

public enum BackupResult: String, Codable, Sendable, CaseIterable {
    case success
    case partial
}

public enum DrillResult: String, Codable, Sendable, CaseIterable {
    case passed
    case failed
}

/// How a drill restored: into a directory, or by piping a stream into a command.
public enum DrillMethod: String, Codable, Sendable, CaseIterable {
    case directory
    case command
}

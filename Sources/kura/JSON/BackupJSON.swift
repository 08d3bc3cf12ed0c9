import KuraRepository

/// What `kura backup --json` prints: the snapshot made (null in a dry run) and, beside it, what this run did.
struct BackupJSON: Encodable {
    struct Unreadable: Encodable {
        var path: String
        var message: String
    }

    var snapshot: SnapshotJSON?
    var files: Int
    var directories: Int
    var bytesRead: Int64
    var bytesNew: Int64
    var bytesStored: Int64
    var durationSeconds: Double
    var unreadable: [Unreadable]

    init(snapshot: SnapshotJSON?, summary: Snapshot.Summary, unreadable: [Archiver.Warning]) {
        self.snapshot = snapshot
        files = summary.files
        directories = summary.directories
        bytesRead = summary.bytesRead
        bytesNew = summary.bytesNew
        bytesStored = summary.bytesStored
        durationSeconds = summary.duration
        self.unreadable = unreadable.map { Unreadable(path: $0.path, message: $0.message) }
    }

    enum CodingKeys: String, CodingKey {
        case snapshot, files, directories, bytesRead = "bytes_read", bytesNew = "bytes_new", bytesStored = "bytes_stored",
             durationSeconds = "duration_seconds", unreadable
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(snapshot, forKey: .snapshot)
        try c.encode(files, forKey: .files)
        try c.encode(directories, forKey: .directories)
        try c.encode(bytesRead, forKey: .bytesRead)
        try c.encode(bytesNew, forKey: .bytesNew)
        try c.encode(bytesStored, forKey: .bytesStored)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(unreadable, forKey: .unreadable)
    }
}

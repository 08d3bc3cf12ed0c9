import Foundation
import KuraMedia
import KuraRepository

/// A snapshot, the same object in every command that prints one (`backup`, `snapshots`, `copy`, `forget`,
/// `find`, `diff`, `restore`, `media label`). Every key is always present; a medium label that was not
/// opened with the password cannot tell the sealed fields, which are then null.
struct SnapshotJSON: Encodable {
    struct Origin: Encodable {
        var repositoryID: String
        var snapshotID: String

        enum CodingKeys: String, CodingKey { case repositoryID = "repository_id", snapshotID = "snapshot_id" }
    }

    var id: String
    var shortID: String
    var time: String
    var hostname: String?
    var username: String?
    var paths: [String]?
    var tags: [String]?
    var tree: String?
    var program: String?
    /// What the backup that made it recorded: files, bytes read, new and stored, its duration.
    var summary: Snapshot.Summary?
    var copiedFrom: Origin?
    /// More than `Snapshot.futureSkew` ahead of the reader's clock.
    var futureDated: Bool

    init(_ entry: SnapshotEntry, now: Date = Date()) {
        let s = entry.snapshot
        id = entry.id.hex
        shortID = entry.id.short
        time = JSONTime.string(s.time)
        hostname = s.hostname
        username = s.username
        paths = s.paths
        tags = s.tags
        tree = s.tree.hex
        program = s.program
        summary = s.summary
        copiedFrom = s.copiedFrom.map { Origin(repositoryID: $0.repository, snapshotID: $0.snapshot) }
        futureDated = entry.isFutureDated(now: now)
    }

    /// A snapshot as a medium label lists it: the sealed host, paths and tags only once authenticated.
    init(label snapshot: MediumLabel.SnapshotSummary, origin: MediumLabel.Details.Origin?, now: Date = Date()) {
        id = snapshot.id
        shortID = String(snapshot.id.prefix(8))
        time = JSONTime.string(snapshot.time)
        hostname = origin?.hostname
        paths = origin?.paths
        tags = origin?.tags
        futureDated = Snapshot.parseTime(snapshot.time).map { $0.timeIntervalSince(now) > Snapshot.futureSkew } ?? false
    }

    enum CodingKeys: String, CodingKey {
        case id, shortID = "short_id", time, hostname, username, paths, tags, tree, program, summary,
             copiedFrom = "copied_from", futureDated = "future_dated"
    }

    /// Absent values as null, so every snapshot has the same keys.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(shortID, forKey: .shortID)
        try c.encode(time, forKey: .time)
        try c.encode(hostname, forKey: .hostname)
        try c.encode(username, forKey: .username)
        try c.encode(paths, forKey: .paths)
        try c.encode(tags, forKey: .tags)
        try c.encode(tree, forKey: .tree)
        try c.encode(program, forKey: .program)
        try c.encode(summary, forKey: .summary)
        try c.encode(copiedFrom, forKey: .copiedFrom)
        try c.encode(futureDated, forKey: .futureDated)
    }
}

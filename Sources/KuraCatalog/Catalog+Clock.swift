import Foundation
import GRDB

extension Catalog {
    /// The newest time any event in the log carries, and that event's sequence; nil for an empty log.
    /// (Times are stored as `CatalogTime.format` writes them, so the text orders like the time.)
    static func newestEventTime(_ db: Database) throws -> (sequence: Int64, time: Date)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, occurred_at FROM events ORDER BY occurred_at DESC, sequence LIMIT 1"),
              let time = CatalogTime.parse(row["occurred_at"]) else { return nil }
        return (row["sequence"], time)
    }

    /// Refuses to stamp an event with `time` when the log already holds one dated more than the allowed skew
    /// later: a clock that went back would let a step look as if it happened before a retention date passed.
    static func requireClockNotBehind(_ time: Date, in db: Database) throws {
        guard let newest = try newestEventTime(db), time < newest.time.addingTimeInterval(-CatalogTime.allowedSkew) else { return }
        throw CatalogError.refused(.clockNotBackwards, "the clock says \(CatalogTime.format(time)), but event \(newest.sequence) "
            + "is dated \(CatalogTime.format(newest.time)); the catalog does not go back in time by more than "
            + "\(CatalogTime.allowedSkewText): set this host's clock right")
    }
}

/// Walks event times in log order for `verify`: an event dated more than the allowed skew before the newest
/// time seen so far is a problem naming both events and times.
struct EventClockCheck {
    private var newest: (sequence: Int64, time: Date, text: String)?

    mutating func problem(for event: EventRecord) -> String? {
        guard let time = CatalogTime.parse(event.occurredAt) else { return nil }
        defer { if newest == nil || time > newest!.time { newest = (event.sequence, time, event.occurredAt) } }
        guard let newest, time < newest.time.addingTimeInterval(-CatalogTime.allowedSkew) else { return nil }
        let minutes = Int((newest.time.timeIntervalSince(time) / 60).rounded(.down))
        return "event \(event.sequence): dated \(event.occurredAt), \(minutes) min before event \(newest.sequence) "
            + "(\(newest.text)); the clock went backwards by more than \(CatalogTime.allowedSkewText)"
    }
}

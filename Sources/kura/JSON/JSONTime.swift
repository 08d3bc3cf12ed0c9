import Foundation
import KuraCatalog
import KuraRepository

/// Every time in kura's JSON: RFC 3339 in UTC with three fractional digits, `2026-04-01T09:30:00.000Z`.
/// Snapshot times keep their milliseconds; catalog times, signed to the second, print `.000`.
enum JSONTime {
    static func string(_ date: Date) -> String {
        Snapshot.formatTime(date)
    }

    /// A time kura stored as text (catalog, snapshot, medium label) in the same form; text that is not a
    /// time is returned unchanged.
    static func string(_ text: String) -> String {
        guard let date = Snapshot.parseTime(text) ?? CatalogTime.parse(text) else { return text }
        return string(date)
    }

    static func string(_ text: String?) -> String? { text.map { string($0) } }

    /// Whether a JSON key names a time: `time`, `created`, `mtime`, `ctime`, `date`, `retain_until`, `snapshot_time`
    /// or anything ending in `_at`.
    static func isTimeKey(_ key: String) -> Bool {
        key.hasSuffix("_at") || ["time", "created", "mtime", "ctime", "date", "retain_until", "snapshot_time"].contains(key)
    }
}

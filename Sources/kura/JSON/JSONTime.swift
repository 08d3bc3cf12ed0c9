import Foundation
import KuraCatalog
import KuraRepository

/// Every time in kura's JSON: RFC 3339 in UTC to the second, `2026-04-01T09:30:00Z`. The catalog signs its
/// times to the second, so snapshot times (stored with milliseconds) are cut to the same precision.
enum JSONTime {
    static func string(_ date: Date) -> String {
        CatalogTime.format(CatalogTime.truncated(date))
    }

    /// A time kura stored as text (catalog, snapshot, medium label) in the same form; text that is not a
    /// time is returned unchanged.
    static func string(_ text: String) -> String {
        guard let date = Snapshot.parseTime(text) ?? CatalogTime.parse(text) else { return text }
        return string(date)
    }

    static func string(_ text: String?) -> String? { text.map { string($0) } }
}

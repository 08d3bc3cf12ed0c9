import Foundation
import KuraSystem

/// Times and ages as people read them: in the local time zone (TZ) with its offset, and ages in days and
/// hours rather than seconds. JSON output keeps UTC; this is for text only.
public enum LocalTime {
    /// `2026-11-30 18:00:00 +09:00` in the process's time zone.
    public static func format(_ date: Date, timeZone: TimeZone = .current) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let local = date.addingTimeInterval(TimeInterval(offset))
        let seconds = Int(local.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = GregorianDays.date(sinceEpoch: days)
        let sign = offset < 0 ? "-" : "+"
        let absolute = abs(offset)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d %@%02d:%02d", year, month, day,
                      secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, sign, absolute / 3600, absolute / 60 % 60)
    }

    /// Reformats an ISO 8601 time (as the catalog and repository store them) into local time; text that is
    /// not such a time is returned as it is.
    public static func format(iso8601 text: String, timeZone: TimeZone = .current) -> String {
        guard let date = parse(text) else { return text }
        return format(date, timeZone: timeZone)
    }

    static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let whole = ISO8601DateFormatter()
        whole.formatOptions = [.withInternetDateTime]
        return whole.date(from: text)
    }

    /// `3d 4h`, `5h 12m`, `7m 3s`, `42s`: the two largest units, rounded down; negative ages get a minus sign.
    public static func age(seconds: Double) -> String {
        let total = Int(abs(seconds).rounded(.down))
        let sign = seconds < 0 && total > 0 ? "-" : ""
        let units = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { total >= $0.1 }) else { return "0s" }
        var parts = ["\(total / units[first].1)\(units[first].0)"]
        if first + 1 < units.count {
            let next = units[first + 1]
            let rest = total % units[first].1 / next.1
            if rest > 0 { parts.append("\(rest)\(next.0)") }
        }
        return sign + parts.joined(separator: " ")
    }
}

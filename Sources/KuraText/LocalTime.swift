import Foundation

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
        let (year, month, day) = civilDate(daysSinceEpoch: days)
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

    /// Year, month, day of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civilDate(daysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

import Foundation

/// A span of calendar time as `--keep-within` and the report's age limits take it: restic's
/// `1y2m3d4h` (years, months, days, hours) plus `w` (weeks), `min` (minutes) and `s` (seconds),
/// e.g. `30s`, `90min`, `1d12h`. Each unit at most once, in any order. `m` is months, as in restic.
public struct CalendarDuration: Sendable, Equatable, CustomStringConvertible {
    public var years = 0
    public var months = 0
    public var weeks = 0
    public var days = 0
    public var hours = 0
    public var minutes = 0
    public var seconds = 0

    public init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0) {
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }

    /// What `--help` says about the syntax.
    public static let syntax = "e.g. 1y2m3d4h (restic's years, months, days, hours), 2w, 90min, 30s; m is months, min is minutes"

    /// Parses `1y2m3d4h`-style text; nil if it is not one.
    public init?(parsing text: String) {
        let units: [(String, WritableKeyPath<CalendarDuration, Int>)] = [
            ("min", \.minutes), ("y", \.years), ("m", \.months), ("w", \.weeks), ("d", \.days), ("h", \.hours), ("s", \.seconds),
        ]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var seen = Set<String>()
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, path) = units.first(where: { rest.hasPrefix($0.0) }), seen.insert(unit).inserted else { return nil }
            rest = rest.dropFirst(unit.count)
            self[keyPath: path] = value
        }
    }

    public var isZero: Bool { self == CalendarDuration() }

    public var description: String {
        let parts: [(Int, String)] = [(years, "y"), (months, "m"), (weeks, "w"), (days, "d"), (hours, "h"), (minutes, "min"), (seconds, "s")]
        let text = parts.filter { $0.0 != 0 }.map { "\($0.0)\($0.1)" }.joined()
        return text.isEmpty ? "0s" : text
    }

    /// `date` minus this span: years, months and days on the calendar (an overflowing day rolls into the next
    /// month, as Go's `AddDate` does, so March 31 minus 1m is March 3 or 2), then hours, minutes and seconds as
    /// elapsed time. This is how restic measures `--keep-within` back from the newest snapshot.
    /// Saturates: a span reaching back past year 1 gives `Date.distantPast` (every time is newer), never a
    /// wrapped-around date.
    public func before(_ date: Date, calendar: Calendar) -> Date {
        let floor = Self.earliest
        // The shortest the span can be (365-day years, 28-day months); if even that reaches past the floor, stop
        // before the calendar's arithmetic can overflow.
        let shortest = Double(years) * 365 * 86_400 + Double(months) * 28 * 86_400 + Double(days + 7 * weeks) * 86_400
            + Double(hours) * 3600 + Double(minutes) * 60 + Double(seconds)
        guard date.timeIntervalSince(floor) > shortest else { return .distantPast }
        var parts = calendar.dateComponents([.era, .year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        parts.year = (parts.year ?? 0) - years
        parts.month = (parts.month ?? 1) - months
        parts.day = (parts.day ?? 1) - days - 7 * weeks
        guard let shifted = calendar.date(from: parts) else { return .distantPast }
        let result = shifted.addingTimeInterval(-(Double(hours) * 3600 + Double(minutes) * 60 + Double(seconds)))
        return result < floor || result > date ? .distantPast : result
    }

    /// 0001-01-01T00:00:00Z: no span reaches back past it.
    static let earliest = Date(timeIntervalSince1970: -62_135_596_800)
}

import Foundation
import KuraSystem

/// RFC 3339 times (`2026-12-02T13:00:25.923Z`) as the repository stores them, read and written by arithmetic on
/// the proleptic Gregorian calendar (`GregorianDays`). Foundation's ISO 8601 formatter and JSON date strategy did the same through
/// ICU, whose zone and locale data (paged in from the binary) cost every command 20–40 ms from a cold page cache
/// before it could read a key slot, a lock or a snapshot.
public enum InternetTime {
    /// `YYYY-MM-DDTHH:MM:SS`, then `.` and 1 to 9 digits when `fraction` is true, then `Z` (or `+HH:MM`, `-HH:MM`).
    public static func parse(_ text: String, fraction: FractionRule = .optional) -> Date? {
        var utf8 = text.utf8[...]
        func number(_ digits: Int) -> Int? {
            guard utf8.count >= digits else { return nil }
            var value = 0
            for byte in utf8.prefix(digits) {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            utf8 = utf8.dropFirst(digits)
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard let byte = utf8.first, characters.utf8.contains(byte) else { return false }
            utf8 = utf8.dropFirst()
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("Tt"),
              let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
              (1...12).contains(month), (1...GregorianDays.inMonth(month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var nanoseconds = 0
        if expect(".") {
            guard fraction != .absent else { return nil }
            var digits = 0
            while let byte = utf8.first, byte >= 0x30, byte <= 0x39 {
                guard digits < 9 else { return nil }
                nanoseconds = nanoseconds * 10 + Int(byte - 0x30)
                digits += 1
                utf8 = utf8.dropFirst()
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanoseconds *= 10 }
        } else if fraction == .required {
            return nil
        }
        var offset = 0
        if !expect("Zz") {
            let sign = utf8.first == UInt8(ascii: "-") ? -1 : 1
            guard expect("+-"), let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard utf8.isEmpty else { return nil }
        let seconds = GregorianDays.sinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    public enum FractionRule { case optional, required, absent }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC with `milliseconds` (rounded to the nearest, as Foundation's formatter
    /// did), else whole seconds (truncated, as it did).
    public static func format(_ date: Date, milliseconds: Bool) -> String {
        let totalMilliseconds = milliseconds ? Int((date.timeIntervalSince1970 * 1000).rounded())
            : Int(date.timeIntervalSince1970.rounded(.down)) * 1000
        let (seconds, millisecond) = floorDivision(totalMilliseconds, 1000)
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = GregorianDays.date(sinceEpoch: days)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(secondOfDay / 3600, 2) + ":"
            + padded(secondOfDay / 60 % 60, 2) + ":" + padded(secondOfDay % 60, 2)
        if milliseconds { text += "." + padded(millisecond, 3) }
        return text + "Z"
    }

    private static func floorDivision(_ a: Int, _ b: Int) -> (Int, Int) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// RFC 3339 in UTC, whole seconds (what `.iso8601` wrote), without ICU.
    static let internetTime = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(InternetTime.format(date, milliseconds: false))
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// RFC 3339, with or without a fraction of a second (what `.iso8601` read, and more), without ICU.
    static let internetTime = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = InternetTime.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
        }
        return date
    }
}

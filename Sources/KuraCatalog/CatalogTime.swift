import Foundation
import KuraSystem

/// Times as the catalog stores them: ISO 8601 in UTC to the second, e.g. `2025-04-01T09:30:00Z`.
public enum CatalogTime {
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// What `--help` says a date may be.
    public static let syntax = "2030-01-01 (midnight UTC) or an ISO 8601 time such as 2030-01-01T12:00:00Z or 2030-01-01T21:00:00+09:00"

    /// Accepts `2030-01-01` (midnight UTC) and `2030-01-01T12:00:00Z`, with fractional seconds or an offset
    /// (`+09:00`) instead of `Z`. Strict: every field must be in range for its calendar (no February 30, no hour
    /// 25, no second 60), so nothing is silently rolled over into another day; nil if the text is not such a time.
    public static func parse(_ text: String) -> Date? {
        var scanner = FieldScanner(Array(text.trimmingCharacters(in: .whitespaces).utf8))
        guard let year = scanner.number(digits: 4), scanner.take("-"), let month = scanner.number(digits: 2), scanner.take("-"),
              let day = scanner.number(digits: 2), (1...9999).contains(year), (1...12).contains(month),
              (1...GregorianDays.inMonth(month, year: year)).contains(day) else { return nil }
        var seconds = Double(GregorianDays.sinceEpoch(year: year, month: month, day: day)) * 86_400
        if scanner.atEnd { return Date(timeIntervalSince1970: seconds) }
        guard scanner.take("T"), let hour = scanner.number(digits: 2), scanner.take(":"), let minute = scanner.number(digits: 2),
              scanner.take(":"), let second = scanner.number(digits: 2),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        seconds += Double(hour * 3600 + minute * 60 + second)
        if scanner.take(".") {
            guard let fraction = scanner.fraction() else { return nil }
            seconds += fraction
        }
        if scanner.take("Z") {
            // UTC
        } else if let sign = scanner.sign() {
            guard let hours = scanner.number(digits: 2), scanner.take(":"), let minutes = scanner.number(digits: 2),
                  (0...23).contains(hours), (0...59).contains(minutes) else { return nil }
            seconds -= Double(sign * (hours * 3600 + minutes * 60))
        } else {
            return nil
        }
        return scanner.atEnd ? Date(timeIntervalSince1970: seconds) : nil
    }

    /// How far an event may be dated before the newest event already in the log (clocks of different hosts
    /// disagree a little); beyond it, the catalog refuses to append and `verify` reports the event.
    public static let allowedSkew: TimeInterval = 5 * 60
    public static let allowedSkewText = "5 minutes"

    /// Truncates to the second, so a time survives formatting and parsing unchanged.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

/// Reads fixed-width ASCII fields off the front of a time.
private struct FieldScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    mutating func take(_ character: Character) -> Bool {
        guard position < bytes.count, bytes[position] == character.asciiValue! else { return false }
        position += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard position + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[position..<(position + digits)] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        position += digits
        return value
    }

    /// One to nine digits after the decimal point, as a fraction of a second.
    mutating func fraction() -> Double? {
        var digits = 0
        var value = 0.0
        var scale = 0.1
        while position < bytes.count, (48...57).contains(bytes[position]), digits < 9 {
            value += Double(bytes[position] - 48) * scale
            scale /= 10
            digits += 1
            position += 1
        }
        return digits == 0 ? nil : value
    }

    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}

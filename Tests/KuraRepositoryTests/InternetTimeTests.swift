import Foundation
import Testing
@testable import KuraRepository

/// Times in key slots, locks and snapshots, read and written without ICU: they must match what Foundation's ISO
/// 8601 formatter wrote into every repository made so far, and read it back to the same instant.
@Suite struct InternetTimeTests {
    private static func formatter(_ options: ISO8601DateFormatter.Options) -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = options
        return f
    }

    @Test func formatsAsFoundationsFormatterDidAndReadsItsOutputBack() {
        let withFraction = Self.formatter([.withInternetDateTime, .withFractionalSeconds])
        let whole = Self.formatter([.withInternetDateTime])
        var generator = SystemRandomNumberGenerator()
        // 1600 to 2400 (leap centuries both ways), to the millisecond, plus the edges of days and leap days.
        var dates = (0..<5000).map { _ in
            Date(timeIntervalSince1970: Double(Int64.random(in: -11_676_096_000_000...13_569_465_600_000, using: &generator)) / 1000)
        }
        dates += [0, -1, 86_399.999, 951_782_400, 951_868_799.5, 4_107_542_400, -2_208_988_800.25].map(Date.init(timeIntervalSince1970:))
        for date in dates {
            let stored = InternetTime.format(date, milliseconds: true)
            #expect(stored == withFraction.string(from: date))
            #expect(InternetTime.format(date, milliseconds: false) == whole.string(from: date))
            let back = InternetTime.parse(stored)
            #expect(back == withFraction.date(from: stored), "\(stored)")
            #expect(InternetTime.parse(whole.string(from: date)) == whole.date(from: whole.string(from: date)))
        }
    }

    @Test func readsOffsetsAndFractionsToTheSameInstantAsFoundation() throws {
        let withFraction = Self.formatter([.withInternetDateTime, .withFractionalSeconds])
        let whole = Self.formatter([.withInternetDateTime])
        for text in ["2026-12-02T22:00:25+09:00", "2026-12-02T08:30:00-04:30", "2024-02-29T23:59:59Z", "2000-01-01T00:00:00+00:00"] {
            #expect(InternetTime.parse(text) == whole.date(from: text), "\(text)")
        }
        for text in ["2026-12-02T13:00:25.923Z", "2026-12-02T22:00:25.5+09:00", "1970-01-01T00:00:00.001Z"] {
            let ours = try #require(InternetTime.parse(text))
            let theirs = try #require(withFraction.date(from: text))
            #expect(abs(ours.timeIntervalSince(theirs)) < 1e-6, "\(text)")
        }
        #expect(InternetTime.parse("2026-12-02T13:00:25.123456789Z")?.timeIntervalSince1970 == 1_796_216_425.123456789)
        #expect(InternetTime.parse("2026-12-02T13:00:25.5Z", fraction: .absent) == nil)
        #expect(InternetTime.parse("2026-12-02T13:00:25Z", fraction: .required) == nil)
    }

    @Test(arguments: ["", "2026-12-02", "2026-12-02T13:00:25", "2026-12-02 13:00:25Z", "2026-02-29T00:00:00Z",
                      "2026-12-32T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-12-02T24:00:00Z",
                      "2026-12-02T13:60:00Z", "2026-12-02T13:00:60Z", "2026-12-02T13:00:25.Z", "2026-12-02T13:00:25.1234567890Z",
                      "2026-12-02T13:00:25Zjunk", "2026-12-02T13:00:25+0900", "2026-12-02T13:00:25+24:00", "+2026-12-02T13:00:25Z",
                      "２０２６-12-02T13:00:25Z", "2026-1-02T13:00:25Z"])
    func refusesWhatIsNotAnRFC3339Time(_ text: String) {
        #expect(InternetTime.parse(text) == nil)
    }

    @Test func aKeySlotALockAndASnapshotStillReadTimesWrittenByFoundation() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .internetTime
        struct Dated: Codable { var created: Date }
        let old = try decoder.decode(Dated.self, from: Data(#"{"created":"2026-11-21T06:16:50Z"}"#.utf8))
        #expect(old.created == Self.formatter([.withInternetDateTime]).date(from: "2026-11-21T06:16:50Z"))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .internetTime
        #expect(String(decoding: try encoder.encode(old), as: UTF8.self) == #"{"created":"2026-11-21T06:16:50Z"}"#)
        #expect(throws: DecodingError.self) { try decoder.decode(Dated.self, from: Data(#"{"created":"yesterday"}"#.utf8)) }
    }
}

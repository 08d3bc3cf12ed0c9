import Foundation
import Testing
@testable import KuraRepository

/// Issue 12 item 9: a span too long for the calendar saturates (reaches back to the beginning of time) instead of
/// overflowing into a date after the one it is measured from.
@Suite struct CalendarDurationTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static let now = Date(timeIntervalSince1970: 1_795_240_994)  // 2026-11-21T06:03:14Z

    @Test(arguments: ["10000y", "100000000y", "999999999y", "999999999m", "999999999w", "999999999d", "2026y11m21d7h"])
    func spansPastYearOneSaturate(_ text: String) throws {
        let span = try #require(CalendarDuration(parsing: text))
        #expect(span.before(Self.now, calendar: Self.utc) == .distantPast)
        #expect(span.before(Self.now, calendar: .current) == .distantPast)
    }

    @Test func hugeHoursMinutesAndSecondsSaturateToo() throws {
        let span = try #require(CalendarDuration(parsing: "999999999h999999999min999999999s"))
        #expect(span.before(Self.now, calendar: Self.utc) == .distantPast)
    }

    @Test func ordinarySpansAreExact() throws {
        let day = try #require(CalendarDuration(parsing: "1d"))
        #expect(day.before(Self.now, calendar: Self.utc) == Self.now.addingTimeInterval(-86_400))
        let millennium = try #require(CalendarDuration(parsing: "1000y"))
        let back = millennium.before(Self.now, calendar: Self.utc)
        #expect(Self.utc.component(.year, from: back) == 1026 && back < Self.now)
        #expect(CalendarDuration().before(Self.now, calendar: Self.utc) == Self.now)
    }

    @Test func tenThousandYearsKeepsAnEightSecondOldSnapshot() throws {
        let policy = ForgetPolicy(last: 1, within: CalendarDuration(parsing: "10000y"))
        let items = (0..<3).map { n in
            ForgetPolicy.Item(id: BlobID([UInt8](repeating: UInt8(n), count: 32)), time: Self.now.addingTimeInterval(Double(-8 * n)))
        }
        let decisions = policy.apply(to: items, now: Self.now, calendar: Self.utc)
        #expect(decisions.allSatisfy { !$0.reasons.isEmpty })
    }
}

import Foundation
import Synchronization
import Testing
@testable import KuraRepository

@Suite struct SnapshotTimeTests {
    @Test func timesKeepTheirMillisecondsThroughTheStoredText() throws {
        let time = Date(timeIntervalSince1970: 1_795_240_994.811)
        let text = Snapshot.formatTime(time)
        #expect(text == "2026-11-21T06:03:14.811Z")
        let parsed = try #require(Snapshot.parseTime(text))
        #expect(abs(parsed.timeIntervalSince1970 - time.timeIntervalSince1970) < 0.0005)
    }

    @Test func wholeSecondsAndOffsetsParseToo() {
        #expect(Snapshot.parseTime("2026-11-21T06:03:14Z")?.timeIntervalSince1970 == 1_795_240_994)
        #expect(Snapshot.parseTime("2026-11-21T15:03:14+09:00")?.timeIntervalSince1970 == 1_795_240_994)
        #expect(Snapshot.parseTime("2026-11-21") == nil)
        #expect(Snapshot.parseTime("yesterday") == nil)
    }

    /// Two thousand days, formatted and parsed through the shared formatters from several threads at once.
    @Test func manyTimesRoundTripWhileOtherThreadsUseTheFormatters() {
        let seconds = (0..<2_000).map { 1_700_000_000 + $0 * 86_399 }
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: seconds.count) { i in
            let text = Snapshot.formatTime(Date(timeIntervalSince1970: TimeInterval(seconds[i])))
            if Snapshot.parseTime(text)?.timeIntervalSince1970 != TimeInterval(seconds[i]) { wrong.add(1, ordering: .relaxed) }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }
}

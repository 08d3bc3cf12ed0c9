import Foundation
import Testing
@testable import KuraRepository

/// Acceptance 1 of issue 5: restic's keep rules over 400 daily snapshots, 2024-01-01 to 2025-02-03 at 10:00 UTC
/// (2024-01-01 is a Monday; 2025-02-03 is the Monday that starts ISO week 2025-W06). The expected sets were worked
/// out by hand from restic's rules (internal/data/snapshot_policy.go, restic 0.17+) and are written down here.
@Suite struct ForgetPolicyTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static let first = utc.date(from: DateComponents(year: 2024, month: 1, day: 1, hour: 10))!
    static let now = utc.date(from: DateComponents(year: 2025, month: 2, day: 4, hour: 0))!

    /// Snapshot n (0...399) is day n; its id is derived from n, so ties and order are deterministic.
    static let items: [ForgetPolicy.Item] = (0..<400).map { n in
        ForgetPolicy.Item(id: id(n), time: first.addingTimeInterval(Double(n) * 86_400))
    }

    static func id(_ n: Int) -> BlobID { BlobID(w0: UInt64(n + 1), w1: 0, w2: 0, w3: 0) }

    static func day(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func kept(_ policy: ForgetPolicy, items: [ForgetPolicy.Item] = items) -> [String] {
        policy.apply(to: items, now: now, calendar: utc).filter(\.keep).map { day($0.item.time) }.sorted()
    }

    @Test func keepLastKeepsTheNewestN() {
        #expect(Self.kept(ForgetPolicy(last: 5)) == ["2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03"])
    }

    @Test func keepDailyKeepsTheNewestOfEachOfTheLastNDays() {
        #expect(Self.kept(ForgetPolicy(daily: 7)) == [
            "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
        ])
    }

    @Test func keepHourlyCountsHoursThatHaveASnapshot() {
        #expect(Self.kept(ForgetPolicy(hourly: 3)) == ["2025-02-01", "2025-02-02", "2025-02-03"])
    }

    @Test func keepWeeklyUsesISOWeeks() {
        // W06 has only Monday 02-03; W05 ends Sunday 02-02; then the Sundays of W04 and W03.
        #expect(Self.kept(ForgetPolicy(weekly: 4)) == ["2025-01-19", "2025-01-26", "2025-02-02", "2025-02-03"])
    }

    @Test func keepMonthlyKeepsMonthEnds() {
        #expect(Self.kept(ForgetPolicy(monthly: 6)) == [
            "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31", "2025-02-03",
        ])
    }

    @Test func aRuleWithPeriodsLeftAlsoKeepsTheOldestSnapshot() {
        // Two years have snapshots; the third count keeps the oldest one (restic 0.17's "oldest yearly snapshot").
        #expect(Self.kept(ForgetPolicy(yearly: 3)) == ["2024-01-01", "2024-12-31", "2025-02-03"])
        let decisions = ForgetPolicy(yearly: 3).apply(to: Self.items, now: Self.now, calendar: Self.utc)
        #expect(decisions.last?.reasons == ["oldest yearly snapshot"])
        // 14 months have snapshots; 24 leaves 10 over, so 2024-01-01 is kept beside 2024-01-31.
        #expect(Self.kept(ForgetPolicy(monthly: 24)) == [
            "2024-01-01", "2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31",
            "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31", "2025-02-03",
        ])
    }

    @Test func unlimitedKeepsEveryPeriod() {
        let weeks = Self.kept(ForgetPolicy(weekly: -1))
        #expect(weeks.count == 59)
        #expect(weeks.first == "2024-01-01" && weeks.prefix(3) == ["2024-01-01", "2024-01-07", "2024-01-14"])
        #expect(weeks.suffix(3) == ["2025-01-26", "2025-02-02", "2025-02-03"])
    }

    @Test func rulesCombineAsAUnion() {
        #expect(Self.kept(ForgetPolicy(daily: 7, weekly: 5, monthly: 12, yearly: 2)) == [
            "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30", "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31",
            "2024-11-30", "2024-12-31", "2025-01-12", "2025-01-19", "2025-01-26", "2025-01-28", "2025-01-29", "2025-01-30",
            "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
        ])
    }

    @Test func keepWithinIsMeasuredFromTheNewestSnapshot() {
        // Newest is 2025-02-03T10:00; minus 10 days is 2025-01-24T10:00, and only later snapshots are kept.
        #expect(Self.kept(ForgetPolicy(within: CalendarDuration(parsing: "10d"))) == [
            "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
            "2025-02-02", "2025-02-03",
        ])
        // One calendar month back: 2025-01-03T10:00.
        let month = Self.kept(ForgetPolicy(within: CalendarDuration(parsing: "1m")))
        #expect(month.count == 31 && month.first == "2025-01-04" && month.last == "2025-02-03")
        // Not from the clock: a year later the same snapshots are kept.
        let later = ForgetPolicy(within: CalendarDuration(parsing: "10d")!)
            .apply(to: Self.items, now: Self.now.addingTimeInterval(365 * 86_400), calendar: Self.utc).filter(\.keep)
        #expect(later.count == 10)
    }

    @Test func snapshotsFromTheFutureDoNotMoveTheWithinWindow() {
        var items = Self.items
        items.append(ForgetPolicy.Item(id: Self.id(1000), time: Self.now.addingTimeInterval(30 * 86_400)))
        let kept = Self.kept(ForgetPolicy(within: CalendarDuration(parsing: "10d")), items: items)
        #expect(kept.count == 11 && kept[0] == "2025-01-25")
    }

    @Test func taggedSnapshotsAreKeptWithoutBeingCounted() {
        var items = Self.items
        for n in [30, 59, 90, 120] { items[n].tags = ["month-end", "audited"] }
        items[200].tags = ["month-end"]
        let policy = ForgetPolicy(last: 2, tags: [["month-end", "audited"]])
        #expect(Self.kept(policy, items: items) == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2025-02-02", "2025-02-03"])
        #expect(Self.kept(ForgetPolicy(last: 2, tags: [["month-end", "audited"], ["month-end"]]), items: items).count == 7)
    }

    @Test func emptyPolicyIsEmpty() {
        #expect(ForgetPolicy().isEmpty)
        #expect(ForgetPolicy(within: CalendarDuration()).isEmpty)
        #expect(!ForgetPolicy(tags: [["x"]]).isEmpty)
        #expect(!ForgetPolicy(yearly: -1).isEmpty)
    }

    // MARK: Plans: groups and holds

    static func entries(host: String = "db1", paths: [String] = ["crm.sql"], tags: [String] = []) -> [SnapshotEntry] {
        items.map { item in
            SnapshotEntry(id: item.id, snapshot: Snapshot(time: item.time, hostname: host, username: "root", paths: paths, tags: tags,
                                                          tree: .zero, program: "kura", summary: nil))
        }
    }

    @Test func heldSnapshotsSurviveThePolicy() throws {
        let held: [BlobID: String] = [Self.id(74): "hold 3 by alice: case 2024-17", Self.id(399): "hold 4 by bob: audit"]
        let plan = try ForgetPlan(snapshots: Self.entries(), policy: ForgetPolicy(daily: 7), held: held, now: Self.now, calendar: Self.utc)
        let kept = plan.groups[0].keep.map { Self.day($0.entry.snapshot.time) }.sorted()
        #expect(kept == ["2024-03-15", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03"])
        #expect(plan.removals.count == 392)
        #expect(!plan.removals.contains { held[$0.id] != nil })
        let reasons = plan.groups[0].keep.first { $0.entry.id == Self.id(74) }?.reasons
        #expect(reasons == ["on hold: hold 3 by alice: case 2024-17"])
        #expect(plan.groups[0].keep.first?.reasons == ["daily snapshot", "on hold: hold 4 by bob: audit"])
    }

    @Test func snapshotsAreGroupedByHostAndPaths() throws {
        let all = Self.entries() + Self.entries(host: "db2").map { SnapshotEntry(id: BlobID(w0: $0.id.w0, w1: 2, w2: 0, w3: 0), snapshot: $0.snapshot) }
            + Self.entries(paths: ["globals.sql", "crm.sql"]).map { SnapshotEntry(id: BlobID(w0: $0.id.w0, w1: 3, w2: 0, w3: 0), snapshot: $0.snapshot) }
        let plan = try ForgetPlan(snapshots: all, policy: ForgetPolicy(last: 3), held: [:], now: Self.now, calendar: Self.utc)
        #expect(plan.groups.count == 3)
        #expect(plan.groups.allSatisfy { $0.keep.count == 3 && $0.remove.count == 397 })
        #expect(Set(plan.groups.map(\.host)) == ["db1", "db2"])
        #expect(plan.groups.contains { $0.paths == ["crm.sql", "globals.sql"] })
    }

    @Test func refusesAnEmptyPolicyAndEmptyingAGroup() {
        let empty = #expect(throws: RepositoryError.self) {
            try ForgetPlan(snapshots: Self.entries(), policy: ForgetPolicy(), held: [:], now: Self.now, calendar: Self.utc)
        }
        #expect(empty?.code == .invalidArgument && empty?.message.contains("no policy") == true)
        let emptied = #expect(throws: RepositoryError.self) {
            try ForgetPlan(snapshots: Self.entries(), policy: ForgetPolicy(tags: [["nope"]]), held: [:], now: Self.now, calendar: Self.utc)
        }
        #expect(emptied?.message.contains("refusing to forget every snapshot") == true)
        // A hold alone is enough for the group to keep something.
        #expect(throws: Never.self) {
            try ForgetPlan(snapshots: Self.entries(), policy: ForgetPolicy(tags: [["nope"]]), held: [Self.id(3): "hold"],
                           now: Self.now, calendar: Self.utc)
        }
    }

    // MARK: Durations

    @Test func durationsParseResticStyleAndSmallUnits() {
        #expect(CalendarDuration(parsing: "1y2m3d4h") == CalendarDuration(years: 1, months: 2, days: 3, hours: 4))
        #expect(CalendarDuration(parsing: "30s") == CalendarDuration(seconds: 30))
        #expect(CalendarDuration(parsing: "90min") == CalendarDuration(minutes: 90))
        #expect(CalendarDuration(parsing: "2w1d") == CalendarDuration(weeks: 2, days: 1))
        #expect(CalendarDuration(parsing: "1h30min")?.description == "1h30min")
        for bad in ["", "5", "d", "1x", "1d1d", "-1d", "1.5h", "1 d"] { #expect(CalendarDuration(parsing: bad) == nil, "\(bad)") }
    }

    @Test func monthsAreSubtractedOnTheCalendarLikeGoAddDate() {
        let march31 = Self.utc.date(from: DateComponents(year: 2025, month: 3, day: 31, hour: 12))!
        // February 31 rolls over into March 3 (2025 is not a leap year), as Go's AddDate normalizes.
        #expect(Self.day(CalendarDuration(months: 1).before(march31, calendar: Self.utc)) == "2025-03-03")
        #expect(Self.day(CalendarDuration(years: 1, months: 3).before(march31, calendar: Self.utc)) == "2023-12-31")
        let back = CalendarDuration(parsing: "1d2h30s")!.before(march31, calendar: Self.utc)
        #expect(march31.timeIntervalSince(back) == 86_400 + 7_200 + 30)
    }
}

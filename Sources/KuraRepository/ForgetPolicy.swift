import Foundation

/// Which snapshots of one group to keep, with restic's rules (`restic forget`):
///
/// - snapshots are taken newest first;
/// - `last` keeps the newest N; `hourly`, `daily`, `weekly` (ISO 8601 weeks), `monthly` and `yearly` each keep
///   the newest snapshot of each of the N most recent periods that have one, and while a rule still has
///   periods left when the oldest snapshot is reached, that oldest snapshot too (restic 0.17's "oldest" rule);
///   -1 means every period;
/// - `within` keeps every snapshot newer than the newest snapshot (not counting any in the future) minus the span;
/// - `tags` keeps every snapshot that has all the tags of any one list; tag matches are not counted;
/// - a snapshot that any rule keeps is kept.
///
/// Periods are taken in `calendar`'s time zone (the CLI uses the local one, like restic).
public struct ForgetPolicy: Sendable, Equatable {
    public var last = 0
    public var hourly = 0
    public var daily = 0
    public var weekly = 0
    public var monthly = 0
    public var yearly = 0
    public var within: CalendarDuration?
    public var tags: [[String]] = []

    public init(last: Int = 0, hourly: Int = 0, daily: Int = 0, weekly: Int = 0, monthly: Int = 0, yearly: Int = 0,
                within: CalendarDuration? = nil, tags: [[String]] = []) {
        self.last = last
        self.hourly = hourly
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.yearly = yearly
        self.within = within
        self.tags = tags
    }

    /// No rule at all: `forget` refuses rather than forgetting everything.
    public var isEmpty: Bool {
        [last, hourly, daily, weekly, monthly, yearly].allSatisfy { $0 == 0 } && (within?.isZero ?? true) && tags.isEmpty
    }

    /// One snapshot as the policy sees it.
    public struct Item: Sendable, Equatable {
        public var id: BlobID
        public var time: Date
        public var tags: [String]

        public init(id: BlobID, time: Date, tags: [String] = []) {
            self.id = id
            self.time = time
            self.tags = tags
        }
    }

    /// What the policy says about one snapshot; `reasons` is empty for a snapshot to forget.
    public struct Decision: Sendable, Equatable {
        public var item: Item
        public var reasons: [String]
        public var keep: Bool { !reasons.isEmpty }
    }

    private struct Bucket {
        var count: Int
        let reason: String
        let period: (Date, Int) -> Int
        var last: Int? = nil
    }

    /// Decides about every item of one group; the result is newest first. `now` only excludes snapshots from the
    /// future as the newest one `within` measures from.
    public func apply(to items: [Item], now: Date, calendar: Calendar) -> [Decision] {
        let list = items.sorted { $0.time != $1.time ? $0.time > $1.time : $0.id < $1.id }
        guard !list.isEmpty else { return [] }
        func value(_ date: Date, _ parts: Set<Calendar.Component>) -> DateComponents { calendar.dateComponents(parts, from: date) }
        var buckets = [
            Bucket(count: last, reason: "last snapshot") { _, n in n },
            Bucket(count: hourly, reason: "hourly snapshot") { d, _ in
                let c = value(d, [.year, .month, .day, .hour])
                return c.year! * 1_000_000 + c.month! * 10_000 + c.day! * 100 + c.hour!
            },
            Bucket(count: daily, reason: "daily snapshot") { d, _ in
                let c = value(d, [.year, .month, .day])
                return c.year! * 10_000 + c.month! * 100 + c.day!
            },
            Bucket(count: weekly, reason: "weekly snapshot") { d, _ in
                var iso = Calendar(identifier: .iso8601)
                iso.timeZone = calendar.timeZone
                let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
                return c.yearForWeekOfYear! * 100 + c.weekOfYear!
            },
            Bucket(count: monthly, reason: "monthly snapshot") { d, _ in
                let c = value(d, [.year, .month])
                return c.year! * 100 + c.month!
            },
            Bucket(count: yearly, reason: "yearly snapshot") { d, _ in value(d, [.year]).year! },
        ]
        let newest = list.map(\.time).filter { $0 < now }.max() ?? .distantPast
        let withinLimit = within.flatMap { $0.isZero ? nil : $0.before(newest, calendar: calendar) }

        var decisions: [Decision] = []
        for (n, item) in list.enumerated() {
            var reasons: [String] = []
            for list in tags where Set(list).isSubset(of: item.tags) {
                reasons.append("has tag\(list.count == 1 ? "" : "s") \(list.joined(separator: ","))")
            }
            if let withinLimit, item.time > withinLimit {
                reasons.append("within \(within!) of the newest")
            }
            let isOldest = n == list.count - 1
            for i in buckets.indices where buckets[i].count != 0 {
                let period = buckets[i].period(item.time, n)
                guard period != buckets[i].last || isOldest else { continue }
                reasons.append((period == buckets[i].last ? "oldest " : "") + buckets[i].reason)
                buckets[i].last = period
                if buckets[i].count > 0 { buckets[i].count -= 1 }
            }
            decisions.append(Decision(item: item, reasons: reasons))
        }
        return decisions
    }
}

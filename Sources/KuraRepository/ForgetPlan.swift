import Foundation

/// What `kura forget` will do: snapshots grouped by host and paths (restic's default grouping), the policy
/// applied to each group, and every snapshot on hold kept whatever the policy says.
public struct ForgetPlan: Sendable {
    public struct Group: Sendable {
        public var host: String
        public var paths: [String]
        /// Newest first, each with why it is kept.
        public var keep: [(entry: SnapshotEntry, reasons: [String])]
        /// Newest first.
        public var remove: [SnapshotEntry]
    }

    public var groups: [Group]
    /// Snapshots dated more than `Snapshot.futureSkew` after `now`: kept, and counted by no rule.
    public var futureDated: [SnapshotEntry] = []

    public var removals: [SnapshotEntry] { groups.flatMap(\.remove) }

    /// Groups `snapshots` and applies `policy`; `held` maps each held snapshot to a one-line description of its holds.
    /// Throws `.invalidArgument` for an empty policy, and for a policy that would forget every snapshot of a group
    /// (restic's "refusing to delete last snapshot of snapshot group").
    public init(snapshots: [SnapshotEntry], policy: ForgetPolicy, held: [BlobID: String], now: Date = Date(),
                calendar: Calendar = .current) throws {
        guard !policy.isEmpty else {
            throw RepositoryError(.invalidArgument, "no policy was given, so no snapshot is forgotten: "
                + "give at least one --keep-* option")
        }
        var grouped: [String: [SnapshotEntry]] = [:]
        for entry in snapshots {
            grouped[Self.groupKey(entry.snapshot), default: []].append(entry)
        }
        groups = []
        for key in grouped.keys.sorted() {
            let entries = grouped[key]!
            let current = entries.filter { !$0.isFutureDated(now: now) }
            let byID = Dictionary(entries.map { ($0.id, $0) }) { first, _ in first }
            let decisions = policy.apply(to: current.map { ForgetPolicy.Item(id: $0.id, time: $0.snapshot.time, tags: $0.snapshot.tags) },
                                         now: now, calendar: calendar)
            var group = Group(host: entries[0].snapshot.hostname, paths: entries[0].snapshot.paths.sorted(), keep: [], remove: [])
            for entry in entries where entry.isFutureDated(now: now) {
                futureDated.append(entry)
                group.keep.append((entry, ["dated in the future (\(Snapshot.formatTime(entry.snapshot.time))): "
                    + "not counted by any keep rule; forget it by id once checked"]))
            }
            for decision in decisions {
                let entry = byID[decision.item.id]!
                var reasons = decision.reasons
                if let hold = held[entry.id] { reasons.append("on hold: \(hold)") }
                if reasons.isEmpty {
                    group.remove.append(entry)
                } else {
                    group.keep.append((entry, reasons))
                }
            }
            if !current.isEmpty && group.keep.count == group.keep.filter({ $0.entry.isFutureDated(now: now) }).count {
                throw RepositoryError(.invalidArgument, "refusing to forget every snapshot of host \(group.host), paths "
                    + "\(group.paths.joined(separator: " ")): the policy keeps none of its \(group.remove.count)")
            }
            groups.append(group)
        }
    }

    /// Host and sorted paths, unambiguously joined.
    static func groupKey(_ snapshot: Snapshot) -> String {
        ([snapshot.hostname] + snapshot.paths.sorted()).map { "\($0.utf8.count):\($0)" }.joined()
    }
}

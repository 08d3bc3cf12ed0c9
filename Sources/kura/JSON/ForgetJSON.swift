import Foundation
import KuraRepository

/// What `kura forget --json` prints, with a policy or with snapshot ids: the snapshots removed (or, in a dry
/// run, that would be) and, with a policy, each group's kept snapshots and why they were kept.
struct ForgetJSON: Encodable {
    struct Kept: Encodable {
        var snapshot: SnapshotJSON
        var reasons: [String]
        /// The holds that keep it, each with where it was found (catalog, repository).
        var holds: [SnapshotHolds.Hold]
    }

    struct Group: Encodable {
        var host: String
        var paths: [String]
        var keep: [Kept]
        var remove: [SnapshotJSON]
    }

    var dryRun: Bool
    /// Empty when snapshots were named by id.
    var groups: [Group]
    var removed: [SnapshotJSON]
    var prune: Pruner.Report?
    var holdMirrorsRemoved: Int
    var holdMirrorsWritten: Int

    init(plan: ForgetPlan, dryRun: Bool, prune: Pruner.Report?, holds: SnapshotHolds) {
        let now = Date()
        self.dryRun = dryRun
        groups = plan.groups.map { group in
            Group(host: group.host, paths: group.paths,
                  keep: group.keep.map { Kept(snapshot: SnapshotJSON($0.entry, now: now), reasons: $0.reasons, holds: holds.holds(of: $0.entry.id)) },
                  remove: group.remove.map { SnapshotJSON($0, now: now) })
        }
        removed = plan.removals.map { SnapshotJSON($0, now: now) }
        self.prune = prune
        holdMirrorsRemoved = holds.mirrorsRemoved
        holdMirrorsWritten = holds.mirrorsWritten
    }

    init(named entries: [SnapshotEntry], dryRun: Bool, prune: Pruner.Report?, holds: SnapshotHolds) {
        let now = Date()
        self.dryRun = dryRun
        groups = []
        removed = entries.map { SnapshotJSON($0, now: now) }
        self.prune = prune
        holdMirrorsRemoved = holds.mirrorsRemoved
        holdMirrorsWritten = holds.mirrorsWritten
    }

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run", groups, removed, prune
        case holdMirrorsRemoved = "hold_mirrors_removed", holdMirrorsWritten = "hold_mirrors_written"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(groups, forKey: .groups)
        try c.encode(removed, forKey: .removed)
        try c.encode(prune, forKey: .prune)
        try c.encode(holdMirrorsRemoved, forKey: .holdMirrorsRemoved)
        try c.encode(holdMirrorsWritten, forKey: .holdMirrorsWritten)
    }
}

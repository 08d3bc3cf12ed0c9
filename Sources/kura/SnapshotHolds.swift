import Foundation
import KuraCatalog
import KuraRepository

/// The holds that bind a repository's snapshots: the union of those mirrored into the repository (`holds/`) and
/// those in the catalog, if there is one. A mirror of a hold the catalog says was released does not count.
struct SnapshotHolds {
    enum Origin: String, Encodable, Comparable {
        case catalog, repository
        static func < (a: Origin, b: Origin) -> Bool { a.rawValue < b.rawValue }
    }

    struct Hold: Encodable {
        var snapshot: BlobID
        var id: Int64
        var placedBy: String
        var reason: String
        /// Where this hold was found: the catalog, the repository, or both.
        var origins: [Origin]

        var text: String {
            "hold \(id) by \(placedBy): \(reason) (from the \(origins.map(\.rawValue).joined(separator: " and ")))"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .hold)
            try c.encode(placedBy, forKey: .placedBy)
            try c.encode(reason, forKey: .reason)
            try c.encode(origins, forKey: .from)
        }

        enum CodingKeys: String, CodingKey { case hold, placedBy = "placed_by", reason, from }
    }

    var holds: [Hold] = []
    /// Mirrors removed because the catalog says their hold was released, and catalog holds newly mirrored.
    var mirrorsRemoved = 0
    var mirrorsWritten = 0

    /// Snapshot id -> its holds in words, as `ForgetPlan` takes them.
    var descriptions: [BlobID: String] {
        Dictionary(grouping: holds, by: \.snapshot).mapValues { $0.map(\.text).joined(separator: "; ") }
    }

    func holds(of snapshot: BlobID) -> [Hold] { holds.filter { $0.snapshot == snapshot } }

    /// Reads the repository's mirrors and the catalog's holds on this repository. With `reconcile` (a full key
    /// and a run that changes things), mirrors of released holds are removed and active catalog holds without a
    /// mirror get one, so the repository binds them from now on.
    static func gather(_ repo: Repository, catalog: Catalog?, reconcile: Bool) throws -> SnapshotHolds {
        var result = SnapshotHolds()
        let mirrors = try repo.holdMirrors()
        var catalogByEvent: [String: SnapshotHoldRecord] = [:]
        if let catalog {
            for hold in try catalog.state().snapshotHolds.values where hold.repositoryID == repo.id.hex {
                guard let event = try catalog.event(hold.id) else { continue }
                catalogByEvent[event.hash] = hold
            }
        }
        var mirrored = Set<String>()
        for (_, mirror) in mirrors {
            // Several files for one hold (a write-only host cannot see that it already wrote one) count once.
            guard let snapshot = BlobID(hex: mirror.snapshotID), mirrored.insert(mirror.event).inserted else { continue }
            if let record = catalogByEvent[mirror.event], !record.isActive {
                if reconcile { result.mirrorsRemoved += try repo.removeHoldMirrors(event: mirror.event) }
                continue
            }
            result.holds.append(Hold(snapshot: snapshot, id: mirror.hold, placedBy: mirror.placedBy, reason: mirror.reason,
                                     origins: catalogByEvent[mirror.event] == nil ? [.repository] : [.catalog, .repository]))
        }
        for (event, record) in catalogByEvent.sorted(by: { $0.value.id < $1.value.id }) where record.isActive && !mirrored.contains(event) {
            guard let snapshot = BlobID(hex: record.snapshotID) else { continue }
            result.holds.append(Hold(snapshot: snapshot, id: record.id, placedBy: record.placedBy, reason: record.reason, origins: [.catalog]))
            if reconcile {
                try repo.mirrorHold(HoldMirror(record, event: event))
                result.mirrorsWritten += 1
            }
        }
        result.holds.sort { ($0.snapshot.hex, $0.id) < ($1.snapshot.hex, $1.id) }
        return result
    }

    /// Prune deletes the data of snapshots that are gone; a held snapshot whose file is missing (deleted by hand)
    /// would lose its data for good, so prune refuses until its file is back or its hold released.
    func requireHeldSnapshotsPresent(in repo: Repository) throws {
        let present = Set(try repo.snapshotIDs())
        guard let missing = holds.first(where: { !present.contains($0.snapshot) }) else { return }
        throw CommandFailure("refused by rule on-hold: snapshot \(missing.snapshot.short) is on hold (\(missing.text)) but its file "
            + "is missing from the repository; prune would delete its data: put the snapshot file back (e.g. from a medium) "
            + "or have the hold released", exitCode: .catalogRefused)
    }
}

extension HoldMirror {
    /// The mirror of catalog hold `record`, placed by event `event` (its hash).
    init(_ record: SnapshotHoldRecord, event: String) {
        self.init(repositoryID: record.repositoryID, snapshotID: record.snapshotID, hold: record.id, event: event,
                  reason: record.reason, placedBy: record.placedBy, placedAt: record.placedAt)
    }
}

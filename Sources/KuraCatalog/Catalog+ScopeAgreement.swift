#if DEBUG
import GRDB

extension Catalog {
    /// Debug builds only: a step's rules run on the part of the state `CatalogState.decided` loads; this checks, at
    /// every step the tests make, that the whole state (every row of the tables, or the replayed log when they are
    /// behind it) gives the same decision and the same changed rows. A rule that came to read a table its scope does
    /// not load fails here, not silently in production.
    static func requireScopeAgrees(_ change: CatalogChange, as event: EventRecord, scoped: CatalogState, in db: Database) throws {
        var replayed = try current(.everything, db)
        // What the step takes from the events rather than the tables is the same on both sides, so that tests of
        // edited tables still see the step's own decision; the rest must not matter.
        replayed.custodians = scoped.custodians
        replayed.approvals = scoped.approvals
        replayed.trustAnchor = scoped.trustAnchor
        if CatalogState.snapshotHoldKinds.contains(change.kind) { replayed.snapshotHolds = scoped.snapshotHolds }
        if change.kind.hasPrefix("media.") {
            let serial = change.subject
            replayed.media[serial] = scoped.media[serial]
            replayed.moves = replayed.moves.filter { $0.value.serial != serial }.merging(scoped.moves) { $1 }
            replayed.holds = replayed.holds.filter { $0.value.serial != serial }.merging(scoped.holds) { $1 }
            replayed.copies = replayed.copies.filter { $0.value.serial != serial }.merging(scoped.copies) { $1 }
            replayed.disposals = replayed.disposals.filter { $0.value.serial != serial }.merging(scoped.disposals) { $1 }
            replayed.stateBeforeDisposal = replayed.stateBeforeDisposal.filter { $0.value.serial != serial }
                .merging(scoped.stateBeforeDisposal) { $1 }
        }
        func outcome(_ base: CatalogState) -> String {
            var after = base
            do {
                try after.apply(change, as: event)
            } catch {
                return "refused: \(error)"
            }
            return after.changedRows(since: base).joined(separator: "\n")
        }
        let fast = outcome(scoped), full = outcome(replayed)
        guard fast == full else {
            throw CatalogError(.invalid, "internal: event \(event.sequence) (\(change.kind)) on the projected state gives\n"
                + "\(fast)\nbut on the whole state\n\(full)")
        }
    }
}

extension CatalogState {
    /// Every row that differs from `previous`, described, in a stable order.
    func changedRows(since previous: CatalogState) -> [String] {
        func changed<K: Hashable & Comparable, R: Equatable>(_ name: String, _ new: [K: R], _ old: [K: R]) -> [String] {
            new.keys.filter { new[$0] != old[$0] }.sorted().map { "\(name) \($0): \(String(describing: new[$0]!))" }
        }
        return changed("custodian", custodians, previous.custodians) + changed("approval", approvals, previous.approvals)
            + changed("medium", media, previous.media) + changed("move", moves, previous.moves)
            + changed("hold", holds, previous.holds) + changed("copy", copies, previous.copies)
            + changed("disposal", disposals, previous.disposals) + changed("inventory", inventories, previous.inventories)
            + changed("verification", verifications, previous.verifications)
            + changed("snapshot hold", snapshotHolds, previous.snapshotHolds) + changed("backup", backups, previous.backups)
            + changed("drill", drills, previous.drills) + changed("repository copy", repositoryCopies, previous.repositoryCopies)
            + changed("retirement", sourceRetirements, previous.sourceRetirements)
            + changed("state before disposal", stateBeforeDisposal, previous.stateBeforeDisposal)
            + ["anchor: \(String(describing: trustAnchor))", "events: \(eventCount) \(headHash)"]
    }
}
#endif

import GRDB

extension Catalog {
    /// Puts a hold on a snapshot, signed by `actor`.
    @discardableResult
    public func placeSnapshotHold(repositoryID: String, snapshotID: String, reason: String, as actor: String,
                                  passphrase: () throws -> String) throws -> SnapshotHoldRecord {
        let event = try append(CatalogChange(SnapshotHoldPlaced(repositoryID: repositoryID, snapshotID: snapshotID, reason: reason)),
                               as: actor, passphrase: passphrase)
        return try storage { try database.read { try SnapshotHoldRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Releases the active hold on the snapshot whose id starts with `snapshotPrefix` (or hold `hold`), signed by
    /// `actor`, who must not be the custodian who placed it.
    @discardableResult
    public func releaseSnapshotHold(snapshotPrefix: String, hold: Int64? = nil, as actor: String,
                                    passphrase: () throws -> String) throws -> SnapshotHoldRecord {
        let active = try state().snapshotHolds.values.filter(\.isActive).sorted { $0.id < $1.id }
        let target: SnapshotHoldRecord
        if let hold {
            guard let found = active.first(where: { $0.id == hold && $0.snapshotID.hasPrefix(snapshotPrefix.lowercased()) }) else {
                throw CatalogError.refused(.noActiveHold, "snapshot \(snapshotPrefix) has no active hold \(hold)")
            }
            target = found
        } else {
            let matches = active.filter { $0.snapshotID.hasPrefix(snapshotPrefix.lowercased()) }
            guard !snapshotPrefix.isEmpty, let first = matches.first else {
                throw CatalogError.refused(.noActiveHold, "no snapshot starting \(snapshotPrefix) has an active hold")
            }
            guard matches.count == 1 else {
                throw CatalogError(.invalid, "\(matches.count) active holds match \(snapshotPrefix) (holds "
                    + matches.map { String($0.id) }.joined(separator: ", ") + "); say which with --hold")
            }
            target = first
        }
        try append(CatalogChange(SnapshotHoldReleased(repositoryID: target.repositoryID, snapshotID: target.snapshotID, hold: target.id)),
                   as: actor, passphrase: passphrase)
        return try storage { try database.read { try SnapshotHoldRecord.fetchOne($0, key: target.id) } }!
    }

    /// Snapshot holds from the table, oldest first.
    public func snapshotHolds(activeOnly: Bool) throws -> [SnapshotHoldRecord] {
        try storage { try database.read { try SnapshotHoldRecord.listed(activeOnly: activeOnly).fetchAll($0) } }
    }
}

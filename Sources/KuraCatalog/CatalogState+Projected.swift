import GRDB

/// Which rows of the current-state tables a state is loaded with.
enum ProjectionScope {
    /// Every row: what `Catalog.state()` answers with.
    case everything
    /// Custodians and their approvals: who may sign.
    case custodians
    /// What the rules of this change read: custodians, approvals and media, and for a medium's event that medium's
    /// moves, holds, copies and disposals (the tables that grow with history are read by their indexes, or, when
    /// no rule reads them, not at all). The cost of a step then depends on the medium, not on the log's length.
    case change(CatalogChange)
}

extension CatalogState {
    /// The state the current-state tables hold, as of their projection head. The caller has checked that the
    /// head is the log's newest event (`ProjectionHead.isCurrent`). No trust anchor: that is event 1's, which
    /// `decided` replays.
    static func projected(from db: Database, scope: ProjectionScope) throws -> CatalogState {
        var state = CatalogState()
        if let head = try ProjectionHead.stored(db) {
            state.eventCount = head.events
            state.headHash = head.head
        }
        state.custodians = try rows(CustodianRecord.all(), db)
        state.approvals = try rows(CustodianApprovalRecord.all(), db)
        switch scope {
        case .custodians:
            break
        case .everything:
            state.media = try rows(MediumRecord.all(), db)
            state.moves = try rows(CustodyMoveRecord.all(), db)
            state.holds = try rows(HoldRecord.all(), db)
            state.copies = try rows(BackupSetCopyRecord.all(), db)
            state.disposals = try rows(DisposalRecord.all(), db)
            state.stateBeforeDisposal = try rows(DisposalPriorStateRecord.all(), db)
            state.inventories = try rows(InventoryRecord.all(), db)
            state.verifications = try rows(MediumVerificationRecord.all(), db)
            state.snapshotHolds = try rows(SnapshotHoldRecord.all(), db)
            state.backups = try rows(BackupRecord.all(), db)
            state.drills = try rows(DrillRecord.all(), db)
            state.repositoryCopies = try rows(RepositoryCopyRecord.all(), db)
            state.sourceRetirements = try retirements(db)
        case let .change(change):
            state.media = try rows(MediumRecord.all(), db)
            if change.kind.hasPrefix("media.") {
                // Every media.* event's subject is the medium's serial, and its rules read only that medium's rows.
                let serial = change.subject
                state.moves = try rows(CustodyMoveRecord.of(serial), db)
                state.holds = try rows(HoldRecord.on(serial), db)
                state.copies = try rows(BackupSetCopyRecord.on(serial), db)
                state.disposals = try rows(DisposalRecord.of(serial), db)
                state.stateBeforeDisposal = try rows(DisposalPriorStateRecord.filter(Column("serial") == serial), db)
            }
            if change.payload is SourceRetired {
                state.backups = try rows(BackupRecord.all(), db)
                state.sourceRetirements = try retirements(db)
            }
        }
        return state
    }

    private static func rows<R: ProjectedRecord>(_ request: QueryInterfaceRequest<R>, _ db: Database) throws -> [R.Key: R] {
        var rows: [R.Key: R] = [:]
        do {
            let cursor = try request.fetchCursor(db)
            while let row = try cursor.next() { rows[row.key] = row }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw CatalogError(.verificationFailed, "table \(R.databaseTableName) has a row the catalog cannot read; "
                + "run `kura audit verify`")
        }
        return rows
    }

    private static func retirements(_ db: Database) throws -> [Int64: SourceRetirement] {
        Dictionary(uniqueKeysWithValues: try Catalog.sourceRetirements(db).map { ($0.id, $0) })
    }
}

extension CatalogState {
    static let custodianKinds = [CatalogAnchored.kind, CustodianAdded.kind, CustodianApproved.kind, CustodianRevoked.kind]
    static let snapshotHoldKinds = [SnapshotHoldPlaced.kind, SnapshotHoldReleased.kind]

    /// The state a step decides `change` on (`nil`: who may sign; `everything`: every row, what `Catalog.state()`
    /// answers). Who the custodians are, which snapshots are held, and for a medium's event everything about that
    /// medium, come from the events, not from the tables: the custodians' events, the snapshot holds' and the
    /// medium's own, each checked against its hash and the next event's link, replayed in log order. So an edited
    /// table still cannot promote a custodian, unblock a disposal or let `forget` drop a held snapshot, and the cost
    /// grows with the number of custodians and holds and with the medium's own history, not with the log. Other
    /// rows (other media, for barcodes and inventories) come from the tables, whose edits `verify` names.
    static func decided(from db: Database, for change: CatalogChange?, everything: Bool = false) throws -> CatalogState {
        var state = try projected(from: db, scope: everything ? .everything : change.map { .change($0) } ?? .custodians)
        let serial = change.flatMap { $0.kind.hasPrefix("media.") ? $0.subject : nil }
        let holds = everything || change.map { snapshotHoldKinds.contains($0.kind) } == true
        let kinds = custodianKinds + (holds ? snapshotHoldKinds : [])
        var sql = "SELECT * FROM events WHERE kind IN (" + kinds.map { _ in "?" }.joined(separator: ", ") + ")"
        var arguments = StatementArguments(kinds)
        if let serial {
            sql += " UNION SELECT * FROM events WHERE subject = ? AND kind LIKE 'media.%'"
            arguments += [serial]
        }
        let events = try EventRecord.fetchAll(db, sql: sql + " ORDER BY sequence", arguments: arguments)
        var replayed = CatalogState()
        for event in events {
            guard CanonicalEvent.hash(CanonicalEvent.bytes(of: event)) == event.hash else {
                throw damaged("event \(event.sequence): hash mismatch")
            }
            if event.sequence < state.eventCount {
                let link = try String.fetchOne(db, sql: "SELECT previous_hash FROM events WHERE sequence = ?",
                                               arguments: [event.sequence + 1])
                guard link == event.hash else { throw damaged("event \(event.sequence + 1): previous hash does not match event \(event.sequence)") }
            }
            do {
                try replayed.applyInPlace(try CatalogChange.decode(event), as: event)
            } catch let error as CatalogError where error.code != .verificationFailed {
                throw CatalogError(.verificationFailed, "event \(event.sequence) breaks a catalog rule (\(error.message)); "
                    + "run `kura audit verify --full`")
            }
        }
        state.custodians = replayed.custodians
        state.approvals = replayed.approvals
        state.trustAnchor = replayed.trustAnchor
        if holds { state.snapshotHolds = replayed.snapshotHolds }
        if let serial {
            state.media[serial] = replayed.media[serial]
            state.moves = replayed.moves
            state.holds = replayed.holds
            state.copies = replayed.copies
            state.disposals = replayed.disposals
            state.stateBeforeDisposal = replayed.stateBeforeDisposal
        }
        return state
    }

    private static func damaged(_ what: String) -> CatalogError {
        CatalogError(.verificationFailed, "the audit log is damaged: \(what); run `kura audit verify --full`")
    }
}

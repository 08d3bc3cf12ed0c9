import GRDB
import KuraCrypto

extension Catalog {
    /// Walks the log: sequence, hash, link to the previous event, signature by the actor's key as the log itself
    /// enrolled it, and the rules as they stood; stops at the first bad event and names it. If the log is intact,
    /// names every stored current-state row that differs from what the events say.
    ///
    /// By default the walk starts at the newest signed checkpoint the catalog stores (`checkpoint(signedAs:)`), from
    /// the state signed with it, once its signature, its signer's enrolled key, its state's hash and its head's place
    /// in the log are checked (a checkpoint that fails is a problem, and the walk starts at event 1). `full` walks
    /// from event 1, trusting no stored checkpoint: it also catches an event before the checkpoint changed in place.
    /// With a `checkpoint`, also checks that the log still reaches it (so deleted newest events show).
    /// An event dated more than `CatalogTime.allowedSkew` before an earlier event is a problem too (the chain
    /// and the tables are still checked past it).
    public func verify(against checkpoint: Checkpoint? = nil, full: Bool = false) throws -> VerificationReport {
        try storage {
            try database.read { db in
                var start = full ? nil : try StoredCheckpoint.newest(db)
                if let outside = checkpoint, let stored = start, outside.events < stored.events {
                    start = try StoredCheckpoint.filter(sql: "events <= ?", arguments: [outside.events])
                        .order(Column("events").desc).fetchOne(db)
                }
                return try verification(from: start, against: checkpoint, in: db).report
            }
        }
    }

    /// `verify`'s walk from `start` (nil: from event 1), with the state it ends in.
    func verification(from start: StoredCheckpoint?, against checkpoint: Checkpoint?,
                      in db: Database) throws -> (report: VerificationReport, state: CatalogState) {
        var state = CatalogState()
        var problems: [String] = []
        var base: StoredCheckpoint?
        var historyDigests: [String: String]?
        var clock = EventClockCheck()
        if let start {
            switch try start.verifiedState(in: db) {
            case let .success(trusted):
                state = trusted.state
                historyDigests = trusted.historyDigests
                base = start
                if let event = try EventRecord.fetchOne(db, key: start.events) { _ = clock.problem(for: event) }
                let before = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE sequence <= ?", arguments: [start.events]) ?? 0
                if before != start.events {
                    problems.append("\(start.events - before) events before \(start.name) are missing; run `kura audit verify --full`")
                }
            case let .failure(refusal):
                problems.append(refusal.problem)
            }
        }
        let first = (base?.events ?? 0) + 1
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE sequence >= ? ORDER BY sequence", arguments: [first])
        let storedEvents = base == nil ? Int64(rows.count) : (try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0)
        var hashes: [String] = []
        var chainProblems: [String] = []
        var clockProblems: [String] = []
        for (index, row) in rows.enumerated() {
            if let problem = verifyEvent(row, position: first + Int64(index), state: &state) {
                chainProblems.append(problem)
                break
            }
            hashes.append(state.headHash)
            if let event = try? EventRecord(row: row), let problem = clock.problem(for: event) { clockProblems.append(problem) }
        }
        let intact = chainProblems.isEmpty
        problems += chainProblems + clockProblems
        let verified = first - 1 + Int64(hashes.count)
        if let checkpoint {
            let hash: (Int64) -> String? = { position in
                position >= first ? hashes[Int(position - first)] : position == first - 1 ? base?.head : nil
            }
            problems += checkpointProblems(checkpoint, verified: verified, hash: hash, intact: intact, state: state)
        }
        if intact {
            // The history tables' rows up to the checkpoint are in its signed digest, not in its state.
            let historySince = historyDigests == nil ? nil : base?.events
            problems += try state.differences(fromTablesIn: db, historySince: historySince)
            if let historyDigests, let base {
                for table in HistoryDigest.tables where try HistoryDigest.digest(of: table, upTo: base.events, in: db) != historyDigests[table] {
                    problems.append("table \(table): rows made up to event \(base.events) differ from those \(base.name) signed; "
                        + "`kura audit verify --full` names them")
                }
            }
        }
        if case let .broken(what) = try ProjectionHead.status(in: db) { problems.append(what) }
        let report = VerificationReport(verifiedEvents: verified, storedEvents: storedEvents,
                                        headHash: state.headHash, tablesCompared: intact, problems: problems,
                                        checkpoint: checkpoint, identities: state.identities,
                                        startedFrom: base?.checkpoint)
        return (report, state)
    }

    /// Checks the row at `position` and applies it to `state`; a problem line if it is bad.
    private func verifyEvent(_ row: Row, position: Int64, state: inout CatalogState) -> String? {
        guard let event = try? EventRecord(row: row) else { return "event \(position): unreadable row \(row.description)" }
        guard event.sequence == position else {
            return "event \(position): missing (the log goes from event \(position - 1) to event \(event.sequence))"
        }
        let canonical = CanonicalEvent.bytes(of: event)
        guard CanonicalEvent.hash(canonical) == event.hash else { return "event \(position): hash mismatch" }
        guard event.previousHash == state.headHash else {
            return "event \(position): previous hash does not match event \(position - 1)"
        }
        let change: CatalogChange
        do { change = try CatalogChange.decode(event) } catch { return "\(error)" }
        // A machine event (backup.recorded, drill.recorded by host:NAME) is unsigned by design; the chain covers it.
        // The trust anchor (event 1) is unsigned too: no custodian exists yet. The chain binds it.
        if !CatalogState.isUnsignedMachineEvent(change, event) && !(change.payload is CatalogAnchored && event.signature.isEmpty) {
            let publicKey = (change.payload as? CustodianAdded)?.publicKey ?? state.custodians[event.actor]?.publicKey
            guard let publicKey else { return "event \(position): signed by unknown custodian '\(event.actor)'" }
            guard let key = Hex.decode(publicKey), let signature = Hex.decode(event.signature),
                  Signing.verify(signature, of: canonical, publicKey: key) else {
                return "event \(position): bad signature by \(event.actor)"
            }
        }
        if let added = change.payload as? CustodianAdded, let anchor = state.trustAnchor {
            do {
                try Self.verifyCertificate(of: added, anchor: anchor, at: CatalogTime.parse(event.occurredAt) ?? .distantPast)
            } catch {
                return "event \(position): enrolment of \(added.name): \(error)"
            }
        }
        do {
            try state.applyInPlace(change, as: event)
        } catch {
            return "event \(position): breaks a catalog rule: \(error)"
        }
        return nil
    }

    private func checkpointProblems(_ checkpoint: Checkpoint, verified: Int64, hash: (Int64) -> String?, intact: Bool,
                                    state: CatalogState) -> [String] {
        var problems: [String] = []
        if !checkpoint.signatureIsValid {
            problems.append("checkpoint of \(checkpoint.time): bad signature")
        } else if let signer = checkpoint.signer, let known = state.custodians[signer], known.publicKey != checkpoint.publicKey {
            problems.append("checkpoint of \(checkpoint.time): signed with a key that is not custodian \(signer)'s")
        }
        if checkpoint.events > verified {
            if intact {
                problems.append("event \(verified + 1): missing (the checkpoint of \(checkpoint.time) says the log has "
                    + "\(checkpoint.events) events; it has \(verified))")
            }
        } else if checkpoint.events > 0, hash(checkpoint.events) != checkpoint.head {
            problems.append("event \(checkpoint.events): hash does not match the checkpoint of \(checkpoint.time)")
        }
        return problems
    }
}

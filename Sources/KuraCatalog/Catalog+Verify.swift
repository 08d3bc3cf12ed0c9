import GRDB
import KuraCrypto

extension Catalog {
    /// Walks the log from event 1: sequence, hash, link to the previous event, signature by the actor's key as the
    /// log itself enrolled it, and the rules as they stood; stops at the first bad event and names it. If the log
    /// is intact, rebuilds the current-state tables from it and names every stored row that differs.
    /// With a `checkpoint`, also checks that the log still reaches it (so deleted newest events show).
    /// An event dated more than `CatalogTime.allowedSkew` before an earlier event is a problem too (the chain
    /// and the tables are still checked past it).
    public func verify(against checkpoint: Checkpoint? = nil) throws -> VerificationReport {
        try storage {
            try database.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY sequence")
                var state = CatalogState()
                var problems: [String] = []
                var hashes: [String] = []
                var clock = EventClockCheck()
                var clockProblems: [String] = []
                for (index, row) in rows.enumerated() {
                    if let problem = verifyEvent(row, position: Int64(index + 1), state: &state) {
                        problems.append(problem)
                        break
                    }
                    hashes.append(state.headHash)
                    if let event = try? EventRecord(row: row), let problem = clock.problem(for: event) { clockProblems.append(problem) }
                }
                let intact = problems.isEmpty
                problems += clockProblems
                if let checkpoint {
                    problems += checkpointProblems(checkpoint, hashes: hashes, intact: intact, state: state)
                }
                if intact {
                    problems += try state.differences(fromTablesIn: db)
                }
                return VerificationReport(verifiedEvents: Int64(hashes.count), storedEvents: Int64(rows.count),
                                          headHash: state.headHash, tablesCompared: intact, problems: problems,
                                          checkpoint: checkpoint, identities: state.identities)
            }
        }
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
            try state.apply(change, as: event)
        } catch {
            return "event \(position): breaks a catalog rule: \(error)"
        }
        return nil
    }

    private func checkpointProblems(_ checkpoint: Checkpoint, hashes: [String], intact: Bool, state: CatalogState) -> [String] {
        var problems: [String] = []
        if !checkpoint.signatureIsValid {
            problems.append("checkpoint of \(checkpoint.time): bad signature")
        } else if let signer = checkpoint.signer, let known = state.custodians[signer], known.publicKey != checkpoint.publicKey {
            problems.append("checkpoint of \(checkpoint.time): signed with a key that is not custodian \(signer)'s")
        }
        if checkpoint.events > Int64(hashes.count) {
            if intact {
                problems.append("event \(hashes.count + 1): missing (the checkpoint of \(checkpoint.time) says the log has "
                    + "\(checkpoint.events) events; it has \(hashes.count))")
            }
        } else if checkpoint.events > 0, hashes[Int(checkpoint.events) - 1] != checkpoint.head {
            problems.append("event \(checkpoint.events): hash does not match the checkpoint of \(checkpoint.time)")
        }
        return problems
    }
}

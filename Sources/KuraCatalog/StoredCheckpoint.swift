import GRDB

/// A signed checkpoint the catalog keeps with its state at that event (table `checkpoints`): where `kura audit
/// verify` starts by default. Nothing in it is taken on trust: its signature, its signer's key as the log enrolled
/// it, its state's hash and its head's place in the log are checked before verification starts from it.
struct StoredCheckpoint: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "checkpoints"

    var events: Int64
    var head: String
    var time: String
    var signer: String
    var publicKey: String
    var stateHash: String
    var signature: String
    var state: String

    enum CodingKeys: String, CodingKey {
        case events, head, time, signer, signature, state
        case publicKey = "public_key"
        case stateHash = "state_hash"
    }

    init(_ checkpoint: Checkpoint, state: String) {
        events = checkpoint.events
        head = checkpoint.head
        time = checkpoint.time
        signer = checkpoint.signer ?? ""
        publicKey = checkpoint.publicKey ?? ""
        stateHash = checkpoint.state ?? ""
        signature = checkpoint.signature ?? ""
        self.state = state
    }

    var checkpoint: Checkpoint {
        var checkpoint = Checkpoint(events: events, head: head, time: time)
        checkpoint.state = stateHash
        checkpoint.signer = signer
        checkpoint.publicKey = publicKey
        checkpoint.signature = signature
        return checkpoint
    }

    /// How verification messages name it.
    var name: String { "the stored checkpoint of \(time) (event \(events), signed by \(signer))" }

    static func newest(_ db: Database) throws -> StoredCheckpoint? {
        try order(Column("events").desc).fetchOne(db)
    }

    /// The state to verify from, or the first reason not to trust this checkpoint: a bad signature, a key the log
    /// did not enrol for its signer, a state that is not the one signed or whose signer was not active in it, or a
    /// head that is not the log's event at that position.
    func verifiedState(in db: Database) throws -> Result<(state: CatalogState, historyDigests: [String: String]?), CheckpointRefusal> {
        let checkpoint = checkpoint
        guard checkpoint.signature != nil, checkpoint.signatureIsValid else { return .failure(.init("\(name): bad signature")) }
        guard let enrolment = try EventRecord.filter(sql: "kind = ? AND subject = ? AND sequence <= ?",
                                                     arguments: [CustodianAdded.kind, signer, events]).fetchOne(db),
              CanonicalEvent.hash(CanonicalEvent.bytes(of: enrolment)) == enrolment.hash,
              let added = (try? CatalogChange.decode(enrolment))?.payload as? CustodianAdded, added.publicKey == publicKey else {
            return .failure(.init("\(name): signed with a key the log did not enrol for custodian \(signer)"))
        }
        guard CatalogStateSnapshot.hash(state) == stateHash, let snapshot = try? CatalogStateSnapshot.decode(state),
              snapshot.events == events, snapshot.head == head else {
            return .failure(.init("\(name): the state stored with it is not the state it signs"))
        }
        let state = snapshot.state
        guard state.custodians[signer]?.publicKey == publicKey, (try? state.requireActiveSigner(signer)) != nil else {
            return .failure(.init("\(name): \(signer) was not an active custodian at event \(events)"))
        }
        guard let event = try EventRecord.fetchOne(db, key: events), event.hash == head else {
            return .failure(.init("event \(events): hash does not match \(name)"))
        }
        return .success((state, snapshot.historyDigests))
    }
}

struct CheckpointRefusal: Error {
    let problem: String
    init(_ problem: String) { self.problem = problem }
}

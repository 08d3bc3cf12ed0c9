import GRDB

/// The event the current-state tables were projected up to (table `projection_head`, one row).
///
/// A step builds on the tables instead of replaying the log, so it first checks that they were projected from
/// the log as it stands: the head must be the last event, whose hash must be its canonical bytes' and whose link
/// must be the event before it. That costs the same whatever the length of the log. `verify` names a broken head.
struct ProjectionHead: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "projection_head"

    var id: Int64 = 1
    var events: Int64
    var head: String

    init(events: Int64, head: String) {
        self.events = events
        self.head = head
    }

    static func stored(_ db: Database) throws -> ProjectionHead? {
        try fetchOne(db, key: 1)
    }

    static func record(events: Int64, head: String, in db: Database) throws {
        try ProjectionHead(events: events, head: head).save(db)
    }

    enum Status: Equatable {
        /// The head is the log's newest event, whose hash and link check.
        case current
        /// The log has events the tables never saw: a catalog made before the head existed, or stepped by an
        /// older kura; one replay of the log brings it up to date.
        case behind
        /// The tables claim a head the log does not have: events deleted or changed behind the tables' back.
        case broken(String)
    }

    static func status(in db: Database) throws -> Status {
        let newest = try EventRecord.newest(db)
        let count = newest?.sequence ?? 0
        guard let stored = try stored(db) else { return count == 0 ? .current : .behind }
        if stored.events < count {
            // Behind: the event it names must still be in the log, or something else happened.
            if stored.events > 0 {
                guard let seen = try EventRecord.fetchOne(db, key: stored.events), seen.hash == stored.head else {
                    return .broken("the current-state tables were projected from event \(stored.events) with hash "
                        + "\(stored.head.prefix(16)), which the audit log no longer has")
                }
            }
            return .behind
        }
        guard let newest else {
            return stored.events == 0 ? .current
                : .broken("the current-state tables were projected from event \(stored.events), but the audit log is empty")
        }
        guard stored.events == count, stored.head == newest.hash else {
            return .broken("the current-state tables were projected from event \(stored.events), but the audit log ends at "
                + "event \(count)" + (stored.events == count ? " with another hash" : ""))
        }
        guard CanonicalEvent.hash(CanonicalEvent.bytes(of: newest)) == newest.hash else {
            return .broken("event \(count): hash mismatch")
        }
        var previousHash: String? = EventRecord.genesisHash
        if count > 1 { previousHash = try EventRecord.fetchOne(db, key: count - 1)?.hash }
        guard newest.previousHash == previousHash else {
            return .broken("event \(count): previous hash does not match event \(count - 1)")
        }
        return .current
    }

    /// Whether a step can build on the tables: `true` when they are current, `false` when they are behind the log
    /// (then it replays the log once); throws `.verificationFailed` naming what is broken otherwise.
    static func isCurrent(in db: Database) throws -> Bool {
        switch try status(in: db) {
        case .current: return true
        case .behind: return false
        case let .broken(what): throw damaged(what)
        }
    }

    private static func damaged(_ what: String) -> CatalogError {
        CatalogError(.verificationFailed, "the catalog is damaged: \(what); run `kura audit verify --full`")
    }
}

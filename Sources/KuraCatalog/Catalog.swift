import Foundation
import GRDB
import KuraCrypto
import KuraSystem

/// A catalog file: the signed audit log and the current-state tables projected from it.
public final class Catalog {
    public let path: String
    let database: DatabaseQueue
    private let clock: () -> Date
    /// Signing keys opened by this process, by custodian: see `signingKey(of:passphrase:)`. Wiped with the catalog.
    var openedKeys: [String: (passphrase: String, sealed: SealedSigningKey, key: [UInt8])] = [:]

    /// Opens the catalog at `path`, creating it and its directory on first use unless `create` is false
    /// (then a missing file is `.missing`), and migrates its schema.
    /// `clock` gives the time events are stamped with (debug builds of the CLI let tests fix it).
    public init(path: String, create: Bool = true, clock: @escaping () -> Date = { Date() }) throws {
        self.path = path
        self.clock = clock
        try CatalogLocation.requireFilePath(path)
        do {
            // Owner-only on creation (directories 0700, file 0600) whatever the umask; SQLite gives its
            // companions (-journal, -wal, -shm) the file's mode. An existing file keeps its mode, so a
            // catalog an operator made 0660 for a group (README) stays shared.
            if create {
                do {
                    try Posix.createOwnerOnlyFile(path)
                } catch let error as SystemError {
                    throw CatalogError(.storage, error.call == "mkdir"
                        ? "cannot create catalog directory \(error.path): \(SystemError.describe(errno: error.errno))"
                        : "cannot create catalog \(path): \(SystemError.describe(errno: error.errno))")
                }
            } else if Posix.statIfExists(path) == nil {
                throw CatalogError(.missing, "no catalog at \(path): create it with `kura catalog init` or `kura custodian add`, "
                    + "or name another with --catalog or KURA_CATALOG")
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(15)
            configuration.label = "kura catalog"
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
            bringProjectionUpToDate()
        } catch let error as CatalogError {
            throw error
        } catch let error as DatabaseError {
            throw CatalogError(.storage, "cannot open catalog \(path): \(error.message ?? error.description)")
        } catch {
            throw CatalogError(.storage, "cannot create catalog \(path): \(error.localizedDescription)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedMigrations.all {
            migrator.registerMigration(migration.identifier) { try $0.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// The time a new event is stamped with, to the second.
    public var now: Date { CatalogTime.truncated(clock()) }

    /// The state the catalog is in: the current-state tables, once the log's newest event is checked to be the
    /// one they were projected from (see `ProjectionHead`), with custodians and snapshot holds from their events
    /// (`CatalogState.decided`); a replay of the log when the tables are behind it.
    /// (`verify` checks the whole chain, the signatures and the tables.)
    public func state() throws -> CatalogState {
        try storage { try database.read { try Self.decisionState(for: nil, everything: true, $0) } }
    }

    static func current(_ scope: ProjectionScope, _ db: Database) throws -> CatalogState {
        try ProjectionHead.isCurrent(in: db) ? CatalogState.projected(from: db, scope: scope) : replay(db)
    }

    /// What a step decides `change` on (`nil`: who may sign): `CatalogState.decided`, or the replayed log when the
    /// tables are behind it.
    static func decisionState(for change: CatalogChange?, everything: Bool = false, _ db: Database) throws -> CatalogState {
        try ProjectionHead.isCurrent(in: db) ? CatalogState.decided(from: db, for: change, everything: everything) : replay(db)
    }

    /// A catalog made before the projection head existed, or stepped by an older kura, is brought up to date by one
    /// replay of its log: the rows only a replay knew (states before disposals) are written and the head is set.
    /// A catalog that cannot be (damaged, read-only) is left as it is; its steps then say why.
    private func bringProjectionUpToDate() {
        guard (try? database.read({ try ProjectionHead.isCurrent(in: $0) })) == false else { return }
        try? database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                if try !ProjectionHead.isCurrent(in: db) { try Self.bringProjectionUpToDate(db) }
                return .commit
            }
        }
    }

    static func bringProjectionUpToDate(_ db: Database) throws {
        let state = try replay(db)
        try DisposalPriorStateRecord.save(state.stateBeforeDisposal, comparedTo: DisposalPriorStateRecord.fetchKeyed(db).rows, in: db)
        try ProjectionHead.record(events: state.eventCount, head: state.headHash, in: db)
    }

    static func replay(_ db: Database) throws -> CatalogState {
        var state = CatalogState()
        let events = try EventRecord.inOrder().fetchCursor(db)
        while let event = try events.next() {
            guard event.sequence == state.eventCount + 1, event.previousHash == state.headHash,
                  CanonicalEvent.hash(CanonicalEvent.bytes(of: event)) == event.hash else {
                throw CatalogError(.verificationFailed,
                                   "the audit log is damaged at event \(state.eventCount + 1); run `kura audit verify`")
            }
            do {
                try state.applyInPlace(try CatalogChange.decode(event), as: event)
            } catch let error as CatalogError where error.code != .verificationFailed {
                throw CatalogError(.verificationFailed, "event \(event.sequence) breaks a catalog rule (\(error.message)); "
                    + "run `kura audit verify`")
            }
        }
        return state
    }

    /// Signs `change` as the custodian `actor` and appends it to the log.
    ///
    /// The rules are checked first, so a refused change costs no key derivation; then `passphrase()` is asked
    /// for and opens the actor's key (`.wrongPassword` if it does not); then, in one transaction, the rules are
    /// checked again against the newest log, the event is written and the current-state tables are updated.
    @discardableResult
    public func append(_ change: CatalogChange, as actor: String, passphrase: () throws -> String) throws -> EventRecord {
        let time = now
        let state = try state(for: change)
        try check(change, as: actor, at: time, on: state)
        guard let custodian = state.custodians[actor] else { throw CatalogError(.notFound, "no custodian named '\(actor)'") }
        let secretKey = try signingKey(of: custodian, passphrase: try passphrase())
        return try commit(change, as: actor, at: time, secretKey: secretKey)
    }

    /// Adds a custodian: the enrolment event is signed by the newcomer's own new key. On an anchored catalog,
    /// `certificate` is the newcomer's X.509 certificate and its key: the key signs the enrolment challenge, and
    /// both go into the event, after the chain to the trust anchor and the proof were checked.
    @discardableResult
    public func enrol(_ added: CustodianAdded, secretKey: [UInt8], certificate: EnrolmentCertificate? = nil) throws -> EventRecord {
        let time = now
        let state = try state(for: CatalogChange(added))
        var added = added
        try state.requireCertificatePresence(for: added.name, given: certificate != nil)
        if let certificate, let anchor = state.trustAnchor {
            let presented = try CustodianCertificate(pem: certificate.certificatePEM, of: added.name)
            added.certificate = certificate.certificatePEM
            added.certificateProof = try presented.prove(
                CustodianCertificate.challenge(catalogID: anchor.catalogID, name: added.name, publicKey: added.publicKey),
                privateKeyPEM: certificate.privateKeyPEM, of: added.name)
        }
        let change = CatalogChange(added)
        try check(change, as: added.name, at: time, on: state)
        if let anchor = state.trustAnchor {
            try Self.verifyCertificate(of: added, anchor: anchor, at: time)
        }
        return try commit(change, as: added.name, at: time, secretKey: secretKey)
    }

    /// Throws the refusal `change` would meet, without writing anything.
    public func check(_ change: CatalogChange, as actor: String) throws {
        try check(change, as: actor, at: now, on: try state(for: change))
    }

    /// The part of the state the rules of `change` read.
    func state(for change: CatalogChange) throws -> CatalogState {
        try storage { try database.read { try Self.decisionState(for: change, $0) } }
    }

    private func check(_ change: CatalogChange, as actor: String, at time: Date, on state: CatalogState) throws {
        var scratch = state
        let event = try draft(change, as: actor, at: time, after: state)
        #if DEBUG
        try storage { try database.read { try Self.requireScopeAgrees(change, as: event, scoped: state, in: $0) } }
        #endif
        try scratch.apply(change, as: event)
    }

    private func draft(_ change: CatalogChange, as actor: String, at time: Date, after state: CatalogState) throws -> EventRecord {
        EventRecord(sequence: state.eventCount + 1, occurredAt: CatalogTime.format(time), kind: change.kind, actor: actor,
                    subject: change.subject, payload: try change.encodedPayload(), previousHash: state.headHash,
                    hash: "", signature: "")
    }

    /// Appends `change` signed with `secretKey`; without a key, unsigned (machine events only, `Catalog+MachineEvents`).
    func commit(_ change: CatalogChange, as actor: String, at time: Date, secretKey: [UInt8]?) throws -> EventRecord {
        try storage {
            try database.writeWithoutTransaction { db in
                var event: EventRecord!
                try db.inTransaction(.immediate) {
                    // The tables are the base a step builds on: checked against the log's newest event (a
                    // catalog behind it is replayed once), then only what this change's rules read is loaded,
                    // custodians and the medium's own rows from their events (`CatalogState.decided`).
                    if try !ProjectionHead.isCurrent(in: db) { try Self.bringProjectionUpToDate(db) }
                    let before = try CatalogState.decided(from: db, for: change)
                    try Self.requireClockNotBehind(time, in: db)
                    event = try draft(change, as: actor, at: time, after: before)
                    let canonical = CanonicalEvent.bytes(of: event)
                    event.hash = CanonicalEvent.hash(canonical)
                    event.signature = try secretKey.map { Hex.encode(try Signing.sign(canonical, secretKey: $0)) } ?? ""
                    #if DEBUG
                    try Self.requireScopeAgrees(change, as: event, scoped: before, in: db)
                    #endif
                    var after = before
                    try after.apply(change, as: event)
                    try event.insert(db)
                    try after.save(comparedTo: before, in: db)
                    try ProjectionHead.record(events: event.sequence, head: event.hash, in: db)
                    return .commit
                }
                return event
            }
        }
    }

    /// Runs `body`, turning GRDB's errors into `.storage` errors that name the catalog.
    func storage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw CatalogError(.storage, "catalog \(path): \(error.message ?? error.description)")
        }
    }

    deinit {
        for index in openedKeys.values.indices { SecureMemory.wipe(&openedKeys.values[index].key) }
    }
}

import Foundation
import GRDB

/// The catalog's current state: what replaying the events gives, table by table.
/// The stored current-state tables must equal it; `Catalog.verify` checks that they do.
public struct CatalogState: Sendable {
    /// The first custodians are active when added; every later one waits for this many approvals.
    public static let foundingCustodians = 2
    public static let approvalsNeeded = 2

    public internal(set) var custodians: [String: CustodianRecord] = [:]
    public internal(set) var approvals: [String: CustodianApprovalRecord] = [:]
    public internal(set) var media: [String: MediumRecord] = [:]
    public internal(set) var moves: [Int64: CustodyMoveRecord] = [:]
    public internal(set) var holds: [Int64: HoldRecord] = [:]
    public internal(set) var copies: [Int64: BackupSetCopyRecord] = [:]
    public internal(set) var disposals: [Int64: DisposalRecord] = [:]
    public internal(set) var inventories: [Int64: InventoryRecord] = [:]
    public internal(set) var verifications: [Int64: MediumVerificationRecord] = [:]
    public internal(set) var snapshotHolds: [Int64: SnapshotHoldRecord] = [:]
    public internal(set) var backups: [Int64: BackupRecord] = [:]
    public internal(set) var drills: [Int64: DrillRecord] = [:]
    public internal(set) var repositoryCopies: [Int64: RepositoryCopyRecord] = [:]
    /// Sources retired by `source.retired` events, by event; kept in the log only (no table).
    public internal(set) var sourceRetirements: [Int64: SourceRetirement] = [:]
    /// The state each disposal's medium was in when the disposal was requested (what a cancellation returns it to),
    /// by disposal id.
    public internal(set) var stateBeforeDisposal: [Int64: DisposalPriorStateRecord] = [:]
    /// The CA certificate the catalog was created with (event 1), if any; see `TrustAnchor`.
    public internal(set) var trustAnchor: TrustAnchor?

    /// How many events have been applied, and the hash of the last one.
    public internal(set) var eventCount: Int64 = 0
    public internal(set) var headHash = EventRecord.genesisHash

    public init() {}

    /// The medium with this serial, or else this barcode.
    public func medium(identifiedBy serialOrBarcode: String) -> MediumRecord? {
        media[serialOrBarcode] ?? media.values.first { $0.barcode == serialOrBarcode }
    }

    public func activeHolds(on serial: String) -> [HoldRecord] {
        holds.values.filter { $0.serial == serial && $0.isActive }.sorted { $0.id < $1.id }
    }

    public func presentCopies(on serial: String) -> [BackupSetCopyRecord] {
        copies.values.filter { $0.serial == serial && $0.isPresent }.sorted { $0.id < $1.id }
    }

    public func approvers(of name: String) -> [String] {
        approvals.values.filter { $0.custodian == name }.sorted { $0.event < $1.event }.map(\.approver)
    }

    func openMove(of serial: String) -> CustodyMoveRecord? {
        moves.values.filter { $0.serial == serial && $0.isOpen }.max { $0.id < $1.id }
    }

    /// The disposal of the medium that is neither validated nor cancelled, if any.
    public func openDisposal(of serial: String) -> DisposalRecord? {
        disposals.values.filter { $0.serial == serial && !$0.isValidated && !$0.isCancelled }.max { $0.id < $1.id }
    }

    /// Writes every row that differs from `previous` into the current-state tables.
    func save(comparedTo previous: CatalogState, in db: Database) throws {
        try CustodianRecord.save(custodians, comparedTo: previous.custodians, in: db)
        try CustodianApprovalRecord.save(approvals, comparedTo: previous.approvals, in: db)
        try MediumRecord.save(media, comparedTo: previous.media, in: db)
        try CustodyMoveRecord.save(moves, comparedTo: previous.moves, in: db)
        try HoldRecord.save(holds, comparedTo: previous.holds, in: db)
        try BackupSetCopyRecord.save(copies, comparedTo: previous.copies, in: db)
        try DisposalRecord.save(disposals, comparedTo: previous.disposals, in: db)
        try InventoryRecord.save(inventories, comparedTo: previous.inventories, in: db)
        try MediumVerificationRecord.save(verifications, comparedTo: previous.verifications, in: db)
        try SnapshotHoldRecord.save(snapshotHolds, comparedTo: previous.snapshotHolds, in: db)
        try BackupRecord.save(backups, comparedTo: previous.backups, in: db)
        try DrillRecord.save(drills, comparedTo: previous.drills, in: db)
        try RepositoryCopyRecord.save(repositoryCopies, comparedTo: previous.repositoryCopies, in: db)
        try DisposalPriorStateRecord.save(stateBeforeDisposal, comparedTo: previous.stateBeforeDisposal, in: db)
    }

    /// Every difference between the stored tables and this state, one line each. With `historySince`, only the rows
    /// of the history tables (`HistoryDigest.tables`) made after that event are compared (the state holds no others).
    func differences(fromTablesIn db: Database, historySince: Int64? = nil) throws -> [String] {
        func compare<R: ProjectedRecord>(_ type: R.Type, _ expected: [R.Key: R]) throws -> [String] {
            let since = HistoryDigest.tables.contains(R.databaseTableName) ? historySince : nil
            let stored = try R.fetchKeyed(db, after: since)
            return stored.unreadable + R.differences(stored: stored.rows, expected: expected)
        }
        return try compare(CustodianRecord.self, custodians)
            + compare(CustodianApprovalRecord.self, approvals)
            + compare(MediumRecord.self, media)
            + compare(CustodyMoveRecord.self, moves)
            + compare(HoldRecord.self, holds)
            + compare(BackupSetCopyRecord.self, copies)
            + compare(DisposalRecord.self, disposals)
            + compare(InventoryRecord.self, inventories)
            + compare(MediumVerificationRecord.self, verifications)
            + compare(SnapshotHoldRecord.self, snapshotHolds)
            + compare(BackupRecord.self, backups)
            + compare(DrillRecord.self, drills)
            + compare(RepositoryCopyRecord.self, repositoryCopies)
            + compare(DisposalPriorStateRecord.self, stateBeforeDisposal)
    }
}

import Foundation
import KuraCrypto

/// The catalog's whole state at one event, as JSON: what a stored checkpoint keeps so that `kura audit verify`
/// replays the rules from the checkpoint forward instead of from event 1 (table `checkpoints`, column `state`).
struct CatalogStateSnapshot: Codable {
    var events: Int64
    var head: String
    var custodians: [CustodianRecord]
    var approvals: [CustodianApprovalRecord]
    var media: [MediumRecord]
    var moves: [CustodyMoveRecord]
    var holds: [HoldRecord]
    var copies: [BackupSetCopyRecord]
    var disposals: [DisposalRecord]
    var statesBeforeDisposal: [DisposalPriorStateRecord]
    var inventories: [InventoryRecord]
    var verifications: [MediumVerificationRecord]
    var snapshotHolds: [SnapshotHoldRecord]
    var backups: [BackupRecord]
    var drills: [DrillRecord]
    var repositoryCopies: [RepositoryCopyRecord]
    var sourceRetirements: [SourceRetirement]
    var trustAnchor: TrustAnchor?
    /// `HistoryDigest` of each history table up to `events`, whose rows are then left out of this snapshot.
    var historyDigests: [String: String]?

    /// The snapshot of `state`; with `historyDigests`, without the rows of the history tables they cover.
    init(_ state: CatalogState, historyDigests: [String: String]? = nil) {
        func rows<K: Comparable, R>(_ table: [K: R]) -> [R] { table.sorted { $0.key < $1.key }.map(\.value) }
        events = state.eventCount
        head = state.headHash
        custodians = rows(state.custodians)
        approvals = rows(state.approvals)
        media = rows(state.media)
        moves = rows(state.moves)
        holds = rows(state.holds)
        copies = rows(state.copies)
        disposals = rows(state.disposals)
        statesBeforeDisposal = rows(state.stateBeforeDisposal)
        inventories = rows(state.inventories)
        verifications = rows(state.verifications)
        snapshotHolds = rows(state.snapshotHolds)
        backups = rows(state.backups)
        drills = rows(state.drills)
        repositoryCopies = rows(state.repositoryCopies)
        sourceRetirements = rows(state.sourceRetirements)
        trustAnchor = state.trustAnchor
        self.historyDigests = historyDigests
        if historyDigests != nil {
            inventories = []
            verifications = []
            drills = []
            repositoryCopies = []
        }
    }

    var state: CatalogState {
        func keyed<R: ProjectedRecord>(_ rows: [R]) -> [R.Key: R] {
            Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
        }
        var state = CatalogState()
        state.eventCount = events
        state.headHash = head
        state.custodians = keyed(custodians)
        state.approvals = keyed(approvals)
        state.media = keyed(media)
        state.moves = keyed(moves)
        state.holds = keyed(holds)
        state.copies = keyed(copies)
        state.disposals = keyed(disposals)
        state.stateBeforeDisposal = keyed(statesBeforeDisposal)
        state.inventories = keyed(inventories)
        state.verifications = keyed(verifications)
        state.snapshotHolds = keyed(snapshotHolds)
        state.backups = keyed(backups)
        state.drills = keyed(drills)
        state.repositoryCopies = keyed(repositoryCopies)
        state.sourceRetirements = Dictionary(sourceRetirements.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        state.trustAnchor = trustAnchor
        return state
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> CatalogStateSnapshot {
        try JSONDecoder().decode(CatalogStateSnapshot.self, from: Data(text.utf8))
    }

    /// BLAKE2b-256 of the JSON text, hex: what a checkpoint's `state:` line holds.
    static func hash(_ text: String) -> String {
        CanonicalEvent.hash(Array(text.utf8))
    }
}

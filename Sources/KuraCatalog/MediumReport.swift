/// Everything the catalog knows about one medium: `kura media show`.
public struct MediumReport: Codable, Sendable {
    public var medium: MediumRecord
    public var backupSets: [BackupSetCopyRecord]
    public var holds: [HoldRecord]
    public var moves: [CustodyMoveRecord]
    public var disposals: [DisposalRecord]
    public var history: [EventRecord]

    enum CodingKeys: String, CodingKey {
        case medium, holds, moves, disposals, history
        case backupSets = "backup_sets"
    }
}

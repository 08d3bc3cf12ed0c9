/// Everything the catalog knows about one medium: `kura media show`.
public struct MediumReport: Codable, Sendable {
    public var medium: MediumRecord
    public var backupSets: [BackupSetCopyRecord]
    public var holds: [HoldRecord]
    public var moves: [CustodyMoveRecord]
    public var disposals: [DisposalRecord]
    public var history: [EventRecord]
    /// The machine signers among those who wrote the medium's backup sets (`recorded_by`).
    public var machineSigners: [String]

    enum CodingKeys: String, CodingKey {
        case medium, holds, moves, disposals, history
        case machineSigners = "machine_signers"
        case backupSets = "backup_sets"
    }
}

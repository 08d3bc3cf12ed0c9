import KuraCatalog

/// What `kura media show --json` prints: the medium object, what is on it and everything that happened to it,
/// its history as event objects.
struct MediumReportJSON: Encodable {
    var medium: MediumJSON
    var backupSets: [BackupSetCopyRecord]
    var holds: [HoldRecord]
    var moves: [CustodyMoveRecord]
    var disposals: [DisposalRecord]
    var history: [EventJSON]
    var machineSigners: [String]

    init(_ report: MediumReport) {
        medium = MediumJSON(report.medium)
        backupSets = report.backupSets
        holds = report.holds
        moves = report.moves
        disposals = report.disposals
        history = report.history.map(EventJSON.init)
        machineSigners = report.machineSigners
    }

    enum CodingKeys: String, CodingKey {
        case medium, backupSets = "backup_sets", holds, moves, disposals, history, machineSigners = "machine_signers"
    }
}

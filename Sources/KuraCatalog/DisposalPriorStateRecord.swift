import GRDB

/// The state a medium was in when a disposal of it was requested: what cancelling the disposal returns it to
/// (table `disposal_prior_states`).
public struct DisposalPriorStateRecord: ProjectedRecord {
    public static let databaseTableName = "disposal_prior_states"

    /// The sequence of the disposal request.
    public var disposal: Int64
    public var serial: String
    public var state: MediumState

    public var key: Int64 { disposal }
    public var rowName: String { "state before disposal \(disposal)" }
}

/// What `kura audit verify` found.
public struct VerificationReport: Codable, Sendable {
    /// Events found intact, in order from event 1: those a trusted stored checkpoint vouches for (`startedFrom`)
    /// and those read after it.
    public var verifiedEvents: Int64
    public var storedEvents: Int64
    public var headHash: String
    /// Whether the current-state tables were compared with the events (only when the log itself is intact).
    public var tablesCompared: Bool
    /// One line per problem; the first names the first bad event when the log is damaged.
    public var problems: [String]
    public var checkpoint: Checkpoint?
    /// Whether custodians' identities are anchored to a CA, as far as the log verified.
    public var identities: CustodianIdentities
    /// The stored signed checkpoint the walk started from; nil when it started at event 1 (`--full`, or none stored).
    public var startedFrom: Checkpoint?

    public var isIntact: Bool { problems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case problems, checkpoint, identities
        case verifiedEvents = "verified_events"
        case storedEvents = "stored_events"
        case headHash = "head_hash"
        case tablesCompared = "tables_compared"
        case startedFrom = "started_from"
    }
}

/// What `kura audit verify` found.
public struct VerificationReport: Codable, Sendable {
    /// Events read and found intact, in order from event 1.
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

    public var isIntact: Bool { problems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case problems, checkpoint, identities
        case verifiedEvents = "verified_events"
        case storedEvents = "stored_events"
        case headHash = "head_hash"
        case tablesCompared = "tables_compared"
    }
}

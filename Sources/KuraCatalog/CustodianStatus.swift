/// Whether a custodian may sign: only `active` ones can.
public enum CustodianStatus: String, Codable, Sendable, CaseIterable {
    /// Added after the first two, waiting for two approvals.
    case pending
    case active
    /// Signs nothing more; what they signed before stays valid.
    case revoked
}

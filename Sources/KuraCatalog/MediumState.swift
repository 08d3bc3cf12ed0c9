/// A medium's lifecycle state (DESIGN.md, "Catalog").
///
///     new -> active -> full
///     new | active | full | quarantined -> disposal-requested -> disposal-approved -> disposed (terminal)
///                                                                            \-> sanitized -> new (reuse)
///     any live state -> lost | quarantined      lost -> found (back to its prior state)
public enum MediumState: String, Codable, Sendable, CaseIterable {
    case new
    case active
    case full
    case quarantined
    case disposalRequested = "disposal-requested"
    case disposalApproved = "disposal-approved"
    case sanitized
    case disposed
    case lost

    /// Every state but the terminal `disposed` and `lost` (which only `found` leaves).
    public var isLive: Bool { self != .disposed && self != .lost }

    /// The states a disposal may be requested from.
    public var canRequestDisposal: Bool { [.new, .active, .full, .quarantined].contains(self) }

    /// The states a backup set may be written in.
    public var acceptsBackupSets: Bool { self == .new || self == .active }
}

import GRDB

/// Who holds a custodian's key: a person (the default), or a host that signs unattended work.
public enum CustodianKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case person
    /// Enrolled with `kura custodian add HOST --machine`: its key is sealed under a host secret kept in a
    /// 0600 file, so cron can sign with it. It becomes active only after two custodians approve it, and signs
    /// only the kinds in `MachineSigner.allowedKinds`.
    case machine
}

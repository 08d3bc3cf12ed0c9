/// What a machine signer may sign: the work a scheduler does alone. Everything that needs a person's judgement
/// (a disposal step, releasing a hold, approving an enrolment, custody and registration) is refused with a rule
/// naming it, at the command and again when `audit verify` replays the log.
enum MachineSigner {
    static let allowedKinds: Set<String> = [
        BackupRecorded.kind, BackupSetRecorded.kind, MediumVerified.kind, DrillRecorded.kind, SnapshotCopied.kind,
    ]

    static let disposalKinds: Set<String> = [
        DisposalRequested.kind, DisposalApproved.kind, SanitizationRecorded.kind, SanitizationValidated.kind,
        DisposalCancelled.kind,
    ]

    static let holdReleaseKinds: Set<String> = [HoldReleased.kind, SnapshotHoldReleased.kind]

    /// Throws unless machine `name` may sign an event of `kind`.
    static func requireAllowed(_ kind: String, by name: String) throws {
        if allowedKinds.contains(kind) { return }
        if disposalKinds.contains(kind) {
            throw CatalogError.refused(.machineCannotSignDisposal, "\(name) is a machine signer; a disposal step "
                + "(\(kind)) must be signed by a person")
        }
        if holdReleaseKinds.contains(kind) {
            throw CatalogError.refused(.machineCannotReleaseHold, "\(name) is a machine signer; a hold is released by a person")
        }
        if kind == CustodianApproved.kind {
            throw CatalogError.refused(.machineCannotApproveEnrolment, "\(name) is a machine signer; custodians are "
                + "approved by people")
        }
        throw CatalogError.refused(.machineSignsMachineWork, "\(name) is a machine signer; it signs only backup records, "
            + "media writes and verifications, drills and copies, not \(kind)")
    }
}

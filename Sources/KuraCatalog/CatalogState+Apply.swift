import Foundation

/// Who signs an event, when, and at which position in the log.
struct EventContext {
    let sequence: Int64
    let actor: String
    let time: Date
    let timeText: String
}

extension CatalogState {
    /// Checks the catalog's rules for `change` made as `event` and applies it.
    /// Throws `.ruleRefused` (or `.notFound`, `.invalid`) and leaves the state unchanged if a rule refuses it.
    public mutating func apply(_ change: CatalogChange, as event: EventRecord) throws {
        var next = self
        try next.applyInPlace(change, as: event)
        self = next
    }

    /// `apply` for a caller that drops the state when a rule refuses (a replay, `verify`'s walk): the state is
    /// changed in place, so an event costs the same however many rows the state holds (`apply` keeps the state
    /// as it was, and copies each table the event changes), and is left half-changed when a rule refuses.
    mutating func applyInPlace(_ change: CatalogChange, as event: EventRecord) throws {
        guard let time = CatalogTime.parse(event.occurredAt) else {
            throw CatalogError(.invalid, "event \(event.sequence): time '\(event.occurredAt)' is not ISO 8601")
        }
        let context = EventContext(sequence: event.sequence, actor: event.actor, time: time, timeText: event.occurredAt)
        if let signer = custodians[event.actor], signer.isMachine {
            try MachineSigner.requireAllowed(change.kind, by: signer.name)
        }
        switch change.payload {
        case let p as CatalogAnchored: try anchor(p, context)
        case let p as CustodianAdded: try addCustodian(p, context)
        case let p as CustodianApproved: try approveCustodian(p, context)
        case let p as CustodianRevoked: try revokeCustodian(p, context)
        case let p as MediumAdded: try addMedium(p, context)
        case let p as MediumMoved: try moveMedium(p, context)
        case let p as MediumReceived: try receiveMedium(p, context)
        case let p as HoldPlaced: try placeHold(p, context)
        case let p as HoldReleased: try releaseHold(p, context)
        case let p as BackupSetRecorded: try recordBackupSet(p, context)
        case let p as MediumQuarantined: try quarantine(p, context)
        case let p as MediumLost: try markLost(p, context)
        case let p as MediumFound: try markFound(p, context)
        case let p as DisposalRequested: try requestDisposal(p, context)
        case let p as DisposalApproved: try approveDisposal(p, context)
        case let p as SanitizationRecorded: try recordSanitization(p, context)
        case let p as SanitizationValidated: try validateSanitization(p, context)
        case let p as MediumReused: try reuse(p, context)
        case let p as InventoryTaken: try takeInventory(p, context)
        case let p as MediumVerified: try recordVerification(p, context)
        case let p as SnapshotHoldPlaced: try placeSnapshotHold(p, context)
        case let p as SnapshotHoldReleased: try releaseSnapshotHold(p, context)
        case let p as BackupRecorded: try recordBackup(p, context)
        case let p as DrillRecorded: try recordDrill(p, context)
        case let p as SnapshotCopied: try recordRepositoryCopy(p, context)
        case let p as SourceRetired: try retireSource(p, context)
        case let p as DisposalCancelled: try cancelDisposal(p, context)
        case let p as MediumAmended: try amendMedium(p, context)
        default:
            throw CatalogError(.invalid, "event \(event.sequence): no rules for kind '\(change.kind)'")
        }
        eventCount = event.sequence
        headHash = event.hash
    }

    // MARK: Checks shared by the rules

    /// Only an active custodian signs; pending and revoked ones sign nothing.
    func requireActiveSigner(_ name: String) throws {
        guard let custodian = custodians[name] else {
            throw CatalogError(.notFound, "no custodian named '\(name)'")
        }
        switch custodian.status {
        case .active:
            return
        case .pending:
            throw CatalogError.refused(.signerMustBeActive, "custodian \(name) is pending (approved by "
                + "\(approvers(of: name).count) of \(Self.approvalsNeeded)) and can sign nothing")
        case .revoked:
            throw CatalogError.refused(.signerMustBeActive,
                                       "custodian \(name) was revoked at \(custodian.revokedAt ?? "?") and can sign nothing")
        }
    }

    func requireMedium(_ serial: String) throws -> MediumRecord {
        guard let medium = media[serial] else { throw CatalogError(.notFound, "no medium with serial '\(serial)'") }
        return medium
    }

    /// Refuses unless the medium's state is one of `allowed`; a disposed medium is refused by its own rule.
    func requireState(_ medium: MediumRecord, in allowed: [MediumState], to action: String) throws {
        guard !allowed.contains(medium.state) else { return }
        if medium.state == .disposed {
            throw CatalogError.refused(.disposedIsTerminal, "medium \(medium.serial) is disposed; it cannot \(action)")
        }
        throw CatalogError.refused(.stateTransition, "medium \(medium.serial) is \(medium.state.rawValue); it can \(action) only when "
            + allowed.map(\.rawValue).joined(separator: ", "))
    }

    static let liveStates = MediumState.allCases.filter(\.isLive)

    mutating func touch(_ serial: String, _ context: EventContext, _ change: (inout MediumRecord) -> Void) {
        guard var medium = media[serial] else { return }
        change(&medium)
        medium.lastEvent = context.sequence
        media[serial] = medium
    }
}

import Foundation

extension CatalogState {
    /// Disposal rule 1 (checked again at approval): the medium is judged by what it holds, not by its state's name.
    public func checkDisposalRules(for medium: MediumRecord, at time: Date) throws {
        if medium.state == .disposed || medium.state == .lost {
            throw CatalogError.refused(.disposedOrLost, "medium \(medium.serial) is \(medium.state.rawValue)")
        }
        if let place = medium.place, place.kind != .onsite {
            let whereItIs = place.kind == .inTransit
                ? "in transit with \(place.name) to \(medium.destination ?? "?")" : "at \(medium.location)"
            throw CatalogError.refused(.notOnsite, "medium \(medium.serial) is \(whereItIs); only an onsite medium can be disposed of")
        }
        let holds = activeHolds(on: medium.serial)
        if let hold = holds.first {
            throw CatalogError.refused(.onHold, "medium \(medium.serial) is on hold since \(hold.placedAt) "
                + "(hold \(hold.id) by \(hold.placedBy): \(hold.reason))" + (holds.count > 1 ? " and \(holds.count - 1) more" : ""))
        }
        let retained = presentCopies(on: medium.serial).filter { $0.isRetained(at: time) }
        if let copy = retained.first {
            throw CatalogError.refused(.retentionNotPassed, "medium \(medium.serial) holds snapshot "
                + "\(copy.snapshotIDs.values.joined(separator: ", ")) of repository \(copy.repositoryID) "
                + "retained until \(copy.retainUntil) (backup set copy \(copy.id))"
                + (retained.count > 1 ? " and \(retained.count - 1) more retained set(s)" : ""))
        }
    }

    mutating func requestDisposal(_ p: DisposalRequested, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        let medium = try requireMedium(p.serial)
        try checkDisposalRules(for: medium, at: context.time)
        try requireState(medium, in: [.new, .active, .full, .quarantined], to: "be requested for disposal")
        disposals[context.sequence] = DisposalRecord(id: context.sequence, serial: p.serial, reason: p.reason,
                                                     requestedBy: context.actor, requestedAt: context.timeText)
        stateBeforeDisposal[context.sequence] = DisposalPriorStateRecord(disposal: context.sequence, serial: p.serial, state: medium.state)
        touch(p.serial, context) { $0.state = .disposalRequested }
    }

    mutating func approveDisposal(_ p: DisposalApproved, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.disposalRequested], to: "have its disposal approved")
        guard var disposal = openDisposal(of: p.serial) else {
            throw CatalogError(.notFound, "medium \(p.serial) has no open disposal request")
        }
        guard disposal.requestedBy != context.actor else {
            throw CatalogError.refused(.twoPersonApproval, "\(context.actor) requested the disposal of medium \(p.serial); "
                + "a different custodian must approve it")
        }
        try checkDisposalRules(for: medium, at: context.time)
        disposal.approvedBy = context.actor
        disposal.approvedAt = context.timeText
        disposal.approveEvent = context.sequence
        disposals[disposal.id] = disposal
        touch(p.serial, context) { $0.state = .disposalApproved }
    }

    mutating func recordSanitization(_ p: SanitizationRecorded, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        for (value, what) in [(p.technique, "technique"), (p.tool, "tool"), (p.verification, "verification"),
                              (p.postClassification, "post-sanitization classification")] {
            try CatalogText.requireSingleLine(value, what: what)
        }
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.disposalApproved], to: "have a sanitization recorded")
        guard var disposal = openDisposal(of: p.serial) else {
            throw CatalogError(.notFound, "medium \(p.serial) has no approved disposal")
        }
        if let performer = disposal.performedBy {
            throw CatalogError.refused(.stateTransition, "the sanitization of medium \(p.serial) was already recorded by "
                + "\(performer); it now needs validation by a different custodian")
        }
        if SanitizationTechnique.destroysTape(p.technique, mediaType: medium.mediaType),
           p.method != .destroy || p.destination.isReuse {
            throw CatalogError.refused(.degaussDestroysTape, "degaussing \(medium.mediaType) medium \(p.serial) destroys its "
                + "servo tracks: record it as --method destroy with a destination other than reuse")
        }
        if p.method == .destroy && p.destination.isReuse {
            throw CatalogError.refused(.destroyedIsNotReusable, "a destroyed medium cannot go to \(p.destination.rawValue)")
        }
        disposal.method = p.method
        disposal.technique = p.technique
        disposal.tool = p.tool
        disposal.verification = p.verification
        disposal.destination = p.destination
        disposal.details = p.details
        disposal.postClassification = p.postClassification
        disposal.notes = p.notes
        disposal.performedBy = context.actor
        disposal.performedAt = context.timeText
        disposal.recordEvent = context.sequence
        disposals[disposal.id] = disposal
        touch(p.serial, context) { _ in }
    }

    mutating func validateSanitization(_ p: SanitizationValidated, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.disposalApproved], to: "have a sanitization validated")
        guard var disposal = openDisposal(of: p.serial), let performer = disposal.performedBy,
              let destination = disposal.destination else {
            throw CatalogError.refused(.sanitizationNotRecorded, "no sanitization of medium \(p.serial) has been recorded yet")
        }
        guard performer != context.actor else {
            throw CatalogError.refused(.twoPersonSanitization, "\(context.actor) performed the sanitization of medium "
                + "\(p.serial); a different custodian must validate it")
        }
        let outcome: MediumState = destination.keepsMedium ? .sanitized : .disposed
        disposal.validatedBy = context.actor
        disposal.validatedAt = context.timeText
        disposal.validateEvent = context.sequence
        disposal.outcome = outcome
        disposals[disposal.id] = disposal
        for var copy in presentCopies(on: p.serial) {
            copy.erasedEvent = context.sequence
            copies[copy.id] = copy
        }
        touch(p.serial, context) { $0.state = outcome }
    }
}

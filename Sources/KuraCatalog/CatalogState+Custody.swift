extension CatalogState {
    mutating func moveMedium(_ p: MediumMoved, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.courier, what: "courier")
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: Self.liveStates, to: "be moved")
        let target = try Location(parsingPlace: p.to)
        if let move = openMove(of: p.serial) {
            throw CatalogError.refused(.alreadyInTransit, "medium \(p.serial) is in transit to \(move.toLocation) "
                + "(sent by \(move.sentBy)); it must be received first")
        }
        guard target.description != medium.location else {
            throw CatalogError.refused(.sameLocation, "medium \(p.serial) is already at \(medium.location)")
        }
        moves[context.sequence] = CustodyMoveRecord(
            id: context.sequence, serial: p.serial, fromLocation: medium.location, toLocation: target.description,
            courier: p.courier, sentBy: context.actor, sentAt: context.timeText)
        touch(p.serial, context) {
            $0.location = Location(kind: .inTransit, name: p.courier).description
            $0.destination = target.description
        }
    }

    mutating func receiveMedium(_ p: MediumReceived, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: Self.liveStates, to: "be received")
        guard var move = openMove(of: p.serial) else {
            throw CatalogError.refused(.notInTransit, "medium \(p.serial) is not in transit; it is at \(medium.location)")
        }
        guard move.sentBy != context.actor else {
            throw CatalogError.refused(.twoPersonCustody, "\(context.actor) sent medium \(p.serial); "
                + "a different custodian must record its receipt")
        }
        move.receivedBy = context.actor
        move.receivedAt = context.timeText
        move.receiveEvent = context.sequence
        moves[move.id] = move
        touch(p.serial, context) {
            $0.location = move.toLocation
            $0.destination = nil
        }
    }

    mutating func placeHold(_ p: HoldPlaced, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: MediumState.allCases.filter { $0 != .disposed }, to: "be put on hold")
        holds[context.sequence] = HoldRecord(id: context.sequence, serial: p.serial, reason: p.reason,
                                             placedBy: context.actor, placedAt: context.timeText)
        touch(p.serial, context) { _ in }
    }

    mutating func releaseHold(_ p: HoldReleased, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        _ = try requireMedium(p.serial)
        guard var hold = holds[p.hold], hold.serial == p.serial, hold.isActive else {
            throw CatalogError.refused(.noActiveHold, "medium \(p.serial) has no active hold \(p.hold)")
        }
        guard hold.placedBy != context.actor else {
            throw CatalogError.refused(.twoPersonHoldRelease, "\(context.actor) placed hold \(hold.id) on medium \(p.serial); "
                + "a different custodian must release it")
        }
        hold.releasedBy = context.actor
        hold.releasedAt = context.timeText
        hold.releaseEvent = context.sequence
        holds[hold.id] = hold
        touch(p.serial, context) { _ in }
    }
}

import Foundation

extension CatalogState {
    mutating func addMedium(_ p: MediumAdded, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.serial, what: "serial")
        try CatalogText.requireSingleLine(p.mediaType, what: "media type")
        try CatalogText.requireSingleLine(p.classification, what: "classification")
        for (value, what) in [(p.barcode, "barcode"), (p.capacity, "capacity"), (p.propertyNumber, "property number"),
                              (p.make, "make"), (p.model, "model")] {
            try CatalogText.requireSingleLine(value, what: what)
        }
        let location = try Location(parsingPlace: p.location)
        guard media[p.serial] == nil else {
            throw CatalogError.refused(.serialUnique, "a medium with serial \(p.serial) is already in the catalog")
        }
        if let barcode = p.barcode, let other = media.values.first(where: { $0.barcode == barcode || $0.serial == barcode }) {
            throw CatalogError.refused(.barcodeUnique, "barcode \(barcode) already identifies medium \(other.serial)")
        }
        if let other = media.values.first(where: { $0.barcode == p.serial }) {
            throw CatalogError.refused(.serialUnique, "serial \(p.serial) is already the barcode of medium \(other.serial)")
        }
        media[p.serial] = MediumRecord(
            serial: p.serial, barcode: p.barcode, mediaType: p.mediaType, capacity: p.capacity,
            propertyNumber: p.propertyNumber, make: p.make, model: p.model, classification: p.classification,
            state: .new, location: location.description, addedBy: context.actor, addedAt: context.timeText,
            lastEvent: context.sequence)
    }

    mutating func recordBackupSet(_ p: BackupSetRecorded, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.new, .active], to: "take a backup set")
        try CatalogText.requireSingleLine(p.repositoryID, what: "repository id")
        guard !p.snapshotIDs.isEmpty else { throw CatalogError(.invalid, "a backup set needs at least one snapshot id") }
        for id in p.snapshotIDs + p.keySlotIDs { try CatalogText.requireSingleLine(id, what: "snapshot or key slot id") }
        guard p.bytes >= 0 else { throw CatalogError(.invalid, "a backup set cannot hold \(p.bytes) bytes") }
        guard CatalogTime.parse(p.retainUntil) != nil, CatalogTime.parse(p.writtenAt) != nil else {
            throw CatalogError(.invalid, "retain-until '\(p.retainUntil)' and written-at '\(p.writtenAt)' must be ISO 8601 dates")
        }
        copies[context.sequence] = BackupSetCopyRecord(
            id: context.sequence, serial: p.serial, repositoryID: p.repositoryID, snapshotIDs: JSONList(p.snapshotIDs),
            sources: JSONList(p.sources), bytes: p.bytes, retainUntil: p.retainUntil, keySlotIDs: JSONList(p.keySlotIDs),
            keyDescription: p.keyDescription, writtenAt: p.writtenAt, recordedBy: context.actor)
        touch(p.serial, context) { $0.state = p.mediumFull ? .full : .active }
    }

    mutating func quarantine(_ p: MediumQuarantined, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: Self.liveStates.filter { $0 != .quarantined }, to: "be quarantined")
        touch(p.serial, context) { $0.state = .quarantined }
    }

    mutating func markLost(_ p: MediumLost, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.note, what: "note")
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: Self.liveStates, to: "be marked lost")
        touch(p.serial, context) {
            $0.priorState = $0.state
            $0.state = .lost
        }
    }

    mutating func markFound(_ p: MediumFound, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.lost], to: "be found")
        let foundAt = try p.location.map { try Location(parsingPlace: $0) }
        if foundAt != nil, var move = openMove(of: p.serial) {
            // Found somewhere definite: the hand-over it was lost in ends here.
            move.receivedBy = context.actor
            move.receivedAt = context.timeText
            move.receiveEvent = context.sequence
            moves[move.id] = move
        }
        touch(p.serial, context) {
            $0.state = $0.priorState ?? .new
            $0.priorState = nil
            if let foundAt {
                $0.location = foundAt.description
                $0.destination = nil
            }
        }
    }

    mutating func reuse(_ p: MediumReused, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.sanitized], to: "be reused")
        touch(p.serial, context) { $0.state = .new }
    }
}

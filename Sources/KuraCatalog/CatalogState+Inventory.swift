extension CatalogState {
    /// What an inventory of `location` finds, given what was scanned there.
    public func compareInventory(at location: String, scanned: [String]) -> (present: [String], missing: [String],
                                                                               unexpected: [String], misplaced: [String]) {
        let expected = Set(media.values.filter { $0.location == location && $0.state.isLive }.map(\.serial))
        var present: [String] = [], unexpected: [String] = [], misplaced: [String] = []
        var seen = Set<String>()
        for value in scanned where seen.insert(value).inserted {
            guard let medium = medium(identifiedBy: value) else {
                unexpected.append(value)
                continue
            }
            if expected.contains(medium.serial) {
                present.append(medium.serial)
            } else if !misplaced.contains(medium.serial) {
                misplaced.append(medium.serial)
            }
        }
        let missing = expected.subtracting(present).sorted()
        return (present, missing, unexpected, misplaced)
    }

    mutating func takeInventory(_ p: InventoryTaken, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        let location = try Location(parsingPlace: p.location)
        for value in p.scanned { try CatalogText.requireSingleLine(value, what: "scanned value") }
        let result = compareInventory(at: location.description, scanned: p.scanned)
        inventories[context.sequence] = InventoryRecord(
            id: context.sequence, location: location.description, takenBy: context.actor, takenAt: context.timeText,
            scanned: JSONList(p.scanned), present: JSONList(result.present), missing: JSONList(result.missing),
            unexpected: JSONList(result.unexpected), misplaced: JSONList(result.misplaced))
    }
}

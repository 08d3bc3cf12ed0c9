extension Catalog {
    /// Appends a machine event (`backup.recorded`, `drill.recorded`) as `host:HOST`, unsigned: cron jobs have no
    /// custodian. The rules are checked as for any event, and the event is hash-chained like every other, so
    /// `kura audit verify` catches an edit of it or of what it projects (man kura-catalog(5), MACHINE EVENTS).
    @discardableResult
    public func appendMachineEvent(_ change: CatalogChange, host: String) throws -> EventRecord {
        guard change.payload is any MachineEventPayload else {
            throw CatalogError(.invalid, "\(change.kind) events must be signed by a custodian")
        }
        let actor = CatalogState.machineActorPrefix + host
        try check(change, as: actor)
        return try commit(change, as: actor, at: now, secretKey: nil)
    }
}

extension CatalogState {
    /// The actor of an unsigned machine event: `host:` and the host name.
    public static let machineActorPrefix = "host:"

    /// Whether `event` is a machine event that carries no signature by design (see `MachineEventPayload`).
    static func isUnsignedMachineEvent(_ change: CatalogChange, _ event: EventRecord) -> Bool {
        change.payload is any MachineEventPayload && event.actor.hasPrefix(machineActorPrefix) && event.signature.isEmpty
    }

    /// The active holds on snapshots of one repository, by snapshot id.
    public func activeSnapshotHolds(repositoryID: String) -> [String: [SnapshotHoldRecord]] {
        Dictionary(grouping: snapshotHolds.values.filter { $0.repositoryID == repositoryID && $0.isActive }.sorted { $0.id < $1.id },
                   by: \.snapshotID)
    }

    /// A machine (`host:NAME`) or an active custodian.
    func requireMachineOrActiveSigner(_ actor: String) throws {
        if actor.hasPrefix(Self.machineActorPrefix) {
            try CatalogText.requireSingleLine(String(actor.dropFirst(Self.machineActorPrefix.count)), what: "host name")
            return
        }
        try requireActiveSigner(actor)
    }

    func requireID(_ text: String, what: String) throws {
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw CatalogError(.invalid, "\(what) '\(text)' is not 64 lower-case hex digits")
        }
    }

    mutating func placeSnapshotHold(_ p: SnapshotHoldPlaced, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try requireID(p.repositoryID, what: "repository id")
        try requireID(p.snapshotID, what: "snapshot id")
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        snapshotHolds[context.sequence] = SnapshotHoldRecord(
            id: context.sequence, repositoryID: p.repositoryID, snapshotID: p.snapshotID, reason: p.reason,
            placedBy: context.actor, placedAt: context.timeText)
    }

    mutating func releaseSnapshotHold(_ p: SnapshotHoldReleased, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        guard var hold = snapshotHolds[p.hold], hold.repositoryID == p.repositoryID, hold.snapshotID == p.snapshotID,
              hold.isActive else {
            throw CatalogError.refused(.noActiveHold, "snapshot \(p.snapshotID.prefix(8)) has no active hold \(p.hold)")
        }
        guard hold.placedBy != context.actor else {
            throw CatalogError.refused(.twoPersonHoldRelease, "\(context.actor) placed hold \(hold.id) on snapshot "
                + "\(p.snapshotID.prefix(8)); a different custodian must release it")
        }
        hold.releasedBy = context.actor
        hold.releasedAt = context.timeText
        hold.releaseEvent = context.sequence
        snapshotHolds[hold.id] = hold
    }

    mutating func recordBackup(_ p: BackupRecorded, _ context: EventContext) throws {
        try requireMachineOrActiveSigner(context.actor)
        try requireID(p.repositoryID, what: "repository id")
        try requireID(p.snapshotID, what: "snapshot id")
        try CatalogText.requireSingleLine(p.host, what: "host")
        for source in p.sources { try CatalogText.requireSingleLine(source, what: "source") }
        guard p.bytes >= 0, p.milliseconds >= 0, CatalogTime.parse(p.snapshotTime) != nil else {
            throw CatalogError(.invalid, "a backup needs non-negative bytes and duration and an ISO 8601 snapshot time")
        }
        backups[context.sequence] = BackupRecord(
            id: context.sequence, repositoryID: p.repositoryID, snapshotID: p.snapshotID, host: p.host,
            sources: JSONList(p.sources), bytes: p.bytes, snapshotTime: p.snapshotTime, durationMilliseconds: p.milliseconds,
            result: p.result, recordedBy: context.actor)
    }

    mutating func recordDrill(_ p: DrillRecorded, _ context: EventContext) throws {
        try requireMachineOrActiveSigner(context.actor)
        try requireID(p.repositoryID, what: "repository id")
        try requireID(p.snapshotID, what: "snapshot id")
        try CatalogText.requireSingleLine(p.host, what: "host")
        for source in p.sources { try CatalogText.requireSingleLine(source, what: "source") }
        try CatalogText.requireSingleLine(p.medium, what: "medium")
        try CatalogText.requireSingleLine(p.detail, what: "detail")
        guard p.bytes >= 0, p.milliseconds >= 0 else {
            throw CatalogError(.invalid, "a drill needs non-negative bytes and duration")
        }
        guard (p.method == .command) == (p.restoreCommand != nil) else {
            throw CatalogError(.invalid, "a drill names a restore command exactly when its method is command")
        }
        drills[context.sequence] = DrillRecord(
            id: context.sequence, repositoryID: p.repositoryID, snapshotID: p.snapshotID, host: p.host,
            sources: JSONList(p.sources), medium: p.medium, method: p.method, restoreCommand: p.restoreCommand,
            verifyCommand: p.verifyCommand, bytes: p.bytes, restoreMilliseconds: p.milliseconds, result: p.result,
            detail: p.detail, performedBy: context.actor, performedAt: context.timeText)
    }
}

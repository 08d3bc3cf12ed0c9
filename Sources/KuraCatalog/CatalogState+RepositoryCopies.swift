extension CatalogState {
    mutating func recordRepositoryCopy(_ p: SnapshotCopied, _ context: EventContext) throws {
        try requireMachineOrActiveSigner(context.actor)
        for (id, what) in [(p.sourceRepositoryID, "source repository id"), (p.sourceSnapshotID, "source snapshot id"),
                           (p.destinationRepositoryID, "destination repository id"), (p.destinationSnapshotID, "snapshot id")] {
            try requireID(id, what: what)
        }
        guard p.sourceRepositoryID != p.destinationRepositoryID else {
            throw CatalogError(.invalid, "a copy goes to another repository, not to \(p.sourceRepositoryID.prefix(8)) itself")
        }
        try CatalogText.requireSingleLine(p.host, what: "host")
        for source in p.sources { try CatalogText.requireSingleLine(source, what: "source") }
        guard p.bytesSent >= 0, p.milliseconds >= 0, CatalogTime.parse(p.snapshotTime) != nil else {
            throw CatalogError(.invalid, "a copy needs non-negative bytes and duration and an ISO 8601 snapshot time")
        }
        repositoryCopies[context.sequence] = RepositoryCopyRecord(
            id: context.sequence, sourceRepositoryID: p.sourceRepositoryID, sourceSnapshotID: p.sourceSnapshotID,
            destinationRepositoryID: p.destinationRepositoryID, destinationSnapshotID: p.destinationSnapshotID, host: p.host,
            sources: JSONList(p.sources), snapshotTime: p.snapshotTime, bytesSent: p.bytesSent,
            durationMilliseconds: p.milliseconds, recordedBy: context.actor)
    }
}

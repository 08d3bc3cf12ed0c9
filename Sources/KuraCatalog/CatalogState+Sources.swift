extension CatalogState {
    /// The newest backup event of each source named `name` (on `host`, if given), by repository and host.
    func newestBackups(ofSource name: String, host: String?) -> [(repositoryID: String, host: String, id: Int64)] {
        var newest: [String: (repositoryID: String, host: String, id: Int64)] = [:]
        for backup in backups.values where (host == nil || backup.host == host) && backup.sources.values.contains(name) {
            let key = backup.repositoryID + "\u{0}" + backup.host
            if (newest[key]?.id ?? 0) < backup.id { newest[key] = (backup.repositoryID, backup.host, backup.id) }
        }
        return newest.values.sorted { ($0.repositoryID, $0.host) < ($1.repositoryID, $1.host) }
    }

    mutating func retireSource(_ p: SourceRetired, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.name, what: "source name")
        try CatalogText.requireSingleLine(p.host, what: "host name")
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        let sources = newestBackups(ofSource: p.name, host: p.host)
        guard !sources.isEmpty else {
            throw CatalogError(.notFound, "no backup of a source named '\(p.name)'" + (p.host.map { " on host \($0)" } ?? "") + " is recorded")
        }
        let retired = Array(sourceRetirements.values)
        let active = sources.filter { SourceRetirement.inEffect(retired, host: $0.host, name: p.name, lastBackup: $0.id) == nil }
        guard !active.isEmpty else {
            throw CatalogError.refused(.retireActiveSource, "source \(p.name)" + (p.host.map { " on host \($0)" } ?? "")
                + " is already retired and has not been backed up since")
        }
        sourceRetirements[context.sequence] = SourceRetirement(
            id: context.sequence, name: p.name, host: p.host, reason: p.reason, retiredBy: context.actor, retiredAt: context.timeText)
    }
}

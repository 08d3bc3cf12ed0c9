import GRDB

extension Catalog {
    /// Retires the source `name` (on `host`, or on every host), signed by `actor`: the report no longer names it
    /// stale until it is backed up again.
    @discardableResult
    public func retireSource(_ name: String, host: String?, reason: String?, as actor: String,
                             passphrase: () throws -> String) throws -> SourceRetirement {
        let event = try append(CatalogChange(SourceRetired(name: name, host: host, reason: reason)), as: actor, passphrase: passphrase)
        return SourceRetirement(id: event.sequence, name: name, host: host, reason: reason, retiredBy: actor, retiredAt: event.occurredAt)
    }

    /// Every `source.retired` event in the log, oldest first, read from the events themselves (the log's
    /// integrity is `verify`'s to judge).
    static func sourceRetirements(_ db: Database) throws -> [SourceRetirement] {
        try EventRecord.filter(sql: "kind = ?", arguments: [SourceRetired.kind]).order(sql: "sequence").fetchAll(db).compactMap { event in
            guard let payload = (try? CatalogChange.decode(event))?.payload as? SourceRetired else { return nil }
            return SourceRetirement(id: event.sequence, name: payload.name, host: payload.host, reason: payload.reason,
                                    retiredBy: event.actor, retiredAt: event.occurredAt)
        }
    }
}

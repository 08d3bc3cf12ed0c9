import Foundation

/// A backup set written to a medium, as `kura media write` reports it to the catalog.
public struct BackupSetCopy: Sendable, Equatable {
    public var serial: String
    public var repositoryID: String
    public var snapshotIDs: [String]
    /// What the snapshots back up (paths, or `stdin:NAME` for a dump), for the exposure report.
    public var sources: [String]
    public var bytes: Int64
    /// The copy must be kept until then; the medium cannot be disposed of before.
    public var retainUntil: Date
    /// The key slots written on the medium, which open the set with their passphrase.
    public var keySlotIDs: [String]
    /// Who holds those keys, in words (e.g. "full key slots of the CRM repository; passphrase in the safe").
    public var keyDescription: String
    public var writtenAt: Date
    /// The medium takes no more sets (`active -> full`).
    public var mediumFull: Bool

    public init(serial: String, repositoryID: String, snapshotIDs: [String], sources: [String] = [], bytes: Int64,
                retainUntil: Date, keySlotIDs: [String] = [], keyDescription: String = "", writtenAt: Date,
                mediumFull: Bool = false) {
        self.serial = serial
        self.repositoryID = repositoryID
        self.snapshotIDs = snapshotIDs
        self.sources = sources
        self.bytes = bytes
        self.retainUntil = retainUntil
        self.keySlotIDs = keySlotIDs
        self.keyDescription = keyDescription
        self.writtenAt = writtenAt
        self.mediumFull = mediumFull
    }
}

extension BackupSetCopy {
    /// The event payload, with dates in the catalog's text form.
    func payload(serial: String) -> BackupSetRecorded {
        BackupSetRecorded(serial: serial, repositoryID: repositoryID, snapshotIDs: snapshotIDs, sources: sources, bytes: bytes,
                          retainUntil: CatalogTime.format(retainUntil), keySlotIDs: keySlotIDs, keyDescription: keyDescription,
                          writtenAt: CatalogTime.format(writtenAt), mediumFull: mediumFull)
    }
}

extension Catalog {
    /// Records a backup set copy on a medium as an event signed by `actor` (the retention API `media write` uses).
    /// Refused (exit 20 in the CLI) unless the medium is `new` or `active`; makes it `active`, or `full`.
    @discardableResult
    public func recordBackupSetCopy(_ copy: BackupSetCopy, as actor: String,
                                    passphrase: () throws -> String) throws -> BackupSetCopyRecord {
        let change = CatalogChange(copy.payload(serial: try medium(copy.serial).serial))
        let event = try append(change, as: actor, passphrase: passphrase)
        return try storage { try database.read { try BackupSetCopyRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// Throws the refusal recording `copy` as `actor` would meet, writing nothing: `media write` asks
    /// before it spends hours writing a tape.
    public func checkBackupSetCopy(_ copy: BackupSetCopy, as actor: String) throws {
        try check(CatalogChange(copy.payload(serial: try medium(copy.serial).serial)), as: actor)
    }

    /// The copies on a medium, present or erased, oldest first.
    public func backupSetCopies(on serialOrBarcode: String) throws -> [BackupSetCopyRecord] {
        let serial = try medium(serialOrBarcode).serial
        return try storage { try database.read { try BackupSetCopyRecord.on(serial).fetchAll($0) } }
    }
}

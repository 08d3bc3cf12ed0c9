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

extension Catalog {
    /// Records a backup set copy on a medium as an event signed by `actor` (the retention API `media write` uses).
    /// Refused (exit 20 in the CLI) unless the medium is `new` or `active`; makes it `active`, or `full`.
    @discardableResult
    public func recordBackupSetCopy(_ copy: BackupSetCopy, as actor: String,
                                    passphrase: () throws -> String) throws -> BackupSetCopyRecord {
        let serial = try medium(copy.serial).serial
        let change = CatalogChange(BackupSetRecorded(
            serial: serial, repositoryID: copy.repositoryID, snapshotIDs: copy.snapshotIDs, sources: copy.sources,
            bytes: copy.bytes, retainUntil: CatalogTime.format(copy.retainUntil), keySlotIDs: copy.keySlotIDs,
            keyDescription: copy.keyDescription, writtenAt: CatalogTime.format(copy.writtenAt), mediumFull: copy.mediumFull))
        let event = try append(change, as: actor, passphrase: passphrase)
        return try storage { try database.read { try BackupSetCopyRecord.fetchOne($0, key: event.sequence) } }!
    }

    /// The copies on a medium, present or erased, oldest first.
    public func backupSetCopies(on serialOrBarcode: String) throws -> [BackupSetCopyRecord] {
        let serial = try medium(serialOrBarcode).serial
        return try storage { try database.read { try BackupSetCopyRecord.on(serial).fetchAll($0) } }
    }
}

/// What a lost medium exposes: the backup sets still on it, their sources, dates and sizes, and how they are protected.
public struct ExposureReport: Codable, Sendable {
    public var medium: MediumRecord
    public var backupSets: [BackupSetCopyRecord]
    public var totalBytes: Int64
    public var repositories: [String]
    public var activeHolds: [HoldRecord]
    /// How the sets are protected, in words.
    public var protection: String

    enum CodingKeys: String, CodingKey {
        case medium, repositories, protection
        case backupSets = "backup_sets"
        case totalBytes = "total_bytes"
        case activeHolds = "active_holds"
    }

    static let encryptionStatement = "Every backup set kura writes is encrypted: each pack with its own random key under "
        + "XChaCha20-Poly1305, the pack keys sealed to the repository's X25519 public key. The data can be read only "
        + "with a passphrase that opens one of the repository's full key slots listed below; the medium alone reveals "
        + "sizes and dates, not content."
}

extension Catalog {
    public func exposureReport(for serialOrBarcode: String) throws -> ExposureReport {
        let report = try report(for: serialOrBarcode)
        let present = report.backupSets.filter(\.isPresent)
        return ExposureReport(medium: report.medium, backupSets: present, totalBytes: present.reduce(0) { $0 + $1.bytes },
                              repositories: Array(Set(present.map(\.repositoryID))).sorted(),
                              activeHolds: report.holds.filter(\.isActive),
                              protection: present.isEmpty ? "The catalog records no backup set on this medium."
                                  : ExposureReport.encryptionStatement)
    }
}

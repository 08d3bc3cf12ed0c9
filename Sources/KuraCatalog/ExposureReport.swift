/// What a lost medium exposes: the backup sets still on it, their sources, dates and sizes, how they
/// are protected, and what the medium shows without the passphrase.
public struct ExposureReport: Codable, Sendable {
    /// One thing a medium shows to anyone who reads it: where (`label`, `archive`) and what.
    public struct Revealed: Codable, Sendable, Equatable {
        public var source: String
        public var field: String
        public var meaning: String

        public init(source: String, field: String, meaning: String) {
            self.source = source
            self.field = field
            self.meaning = meaning
        }
    }

    public var medium: MediumRecord
    public var backupSets: [BackupSetCopyRecord]
    public var totalBytes: Int64
    public var repositories: [String]
    public var activeHolds: [HoldRecord]
    /// Everything the medium shows without the passphrase, as the medium format defines it.
    public var mediumReveals: [Revealed]
    /// How the sets are protected, in words.
    public var protection: String

    enum CodingKeys: String, CodingKey {
        case medium, repositories, protection
        case backupSets = "backup_sets"
        case totalBytes = "total_bytes"
        case activeHolds = "active_holds"
        case mediumReveals = "medium_reveals"
    }

    static func encryptionStatement(_ reveals: [Revealed]) -> String {
        "Every backup set kura writes is encrypted: each pack with its own random key under "
            + "XChaCha20-Poly1305, the pack keys sealed to the repository's X25519 public key. The data can be read only "
            + "with a passphrase that opens one of the repository's full key slots listed below. Without it, the medium "
            + "reveals only: " + reveals.map { "\($0.source) \($0.field)" }.joined(separator: ", ") + "."
    }
}

extension Catalog {
    /// `reveals` is what a medium shows without the passphrase, from the medium format itself.
    public func exposureReport(for serialOrBarcode: String, mediumReveals reveals: [ExposureReport.Revealed]) throws -> ExposureReport {
        let report = try report(for: serialOrBarcode)
        let present = report.backupSets.filter(\.isPresent)
        return ExposureReport(medium: report.medium, backupSets: present, totalBytes: present.reduce(0) { $0 + $1.bytes },
                              repositories: Array(Set(present.map(\.repositoryID))).sorted(),
                              activeHolds: report.holds.filter(\.isActive), mediumReveals: present.isEmpty ? [] : reveals,
                              protection: present.isEmpty ? "The catalog records no backup set on this medium."
                                  : ExposureReport.encryptionStatement(reveals))
    }
}

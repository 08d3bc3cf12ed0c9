import Foundation
import KuraRepository

/// The first entry of every backup set on a medium (`SET/label.json`): readable without the
/// passphrase, it says which medium this is, which repository and snapshots the set holds, and
/// carries the repository's full key slots, passphrase-protected, so the set restores with the
/// passphrase alone.
public struct MediumLabel: Codable, Sendable {
    public static let format = "kura-medium"
    public static let currentVersion = 1

    public struct SnapshotSummary: Codable, Sendable {
        public var id: String
        public var time: String
        public var hostname: String
        public var paths: [String]
        public var tags: [String]
        public var bytes: Int64
    }

    public var format = MediumLabel.format
    public var version = MediumLabel.currentVersion
    /// The set's directory in the archive, e.g. `kura-set-3f2a…`.
    public var set: String
    public var serial: String
    public var barcode: String?
    public var repositoryID: String
    public var snapshots: [SnapshotSummary]
    public var packs: Int
    /// Bytes of snapshots, index, trees and packs in this set.
    public var bytes: Int64
    public var writtenAt: String
    public var writtenBy: String
    public var retainUntil: String
    /// Key slot files (JSON), by id: Argon2id-protected, so only the passphrase opens them.
    public var keySlots: [String: String]

    enum CodingKeys: String, CodingKey {
        case format, version, set, serial, barcode, snapshots, packs, bytes
        case repositoryID = "repository_id", writtenAt = "written_at", writtenBy = "written_by"
        case retainUntil = "retain_until", keySlots = "key_slots"
    }

    var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [10]
    }

    static func decode(_ bytes: [UInt8], device: String) throws -> MediumLabel {
        guard let label = try? JSONDecoder().decode(MediumLabel.self, from: Data(bytes)), label.format == format else {
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium: its label does not decode")
        }
        guard label.version == currentVersion else {
            throw MediaError(.notKuraMedium, "\(device) holds a kura medium of format version \(label.version); this kura reads \(currentVersion)")
        }
        return label
    }

    /// The master key from the first key slot `password` opens; `.wrongPassword` otherwise.
    public func openKey(password: String) throws -> MasterKey {
        guard let repository = BlobID(hex: repositoryID) else { throw MediaError(.notKuraMedium, "label has a malformed repository id") }
        for (_, json) in keySlots.sorted(by: { $0.key < $1.key }) {
            if let key = try KeySlot.decode(Array(json.utf8)).open(password: password, repository: repository) { return key }
        }
        throw RepositoryError(.wrongPassword, "wrong password: no key slot on this medium (repository \(repository.short)) opens with it")
    }
}

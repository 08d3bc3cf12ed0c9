import Foundation
import KuraCrypto
import KuraSystem
import KuraStorage

/// A catalog hold on a snapshot, mirrored into the repository (`REPO/holds/ID`) so that `forget` and `prune`
/// honour it even when they run without the catalog that placed it.
public struct HoldMirror: Codable, Sendable, Equatable {
    public var repositoryID: String
    public var snapshotID: String
    /// The catalog's hold id: the sequence number of the event that placed it.
    public var hold: Int64
    /// The hash of that event, which tells holds of different catalogs apart.
    public var event: String
    public var reason: String
    public var placedBy: String
    public var placedAt: String

    enum CodingKeys: String, CodingKey {
        case hold, event, reason
        case repositoryID = "repository_id", snapshotID = "snapshot_id", placedBy = "placed_by", placedAt = "placed_at"
    }

    public init(repositoryID: String, snapshotID: String, hold: Int64, event: String, reason: String, placedBy: String, placedAt: String) {
        self.repositoryID = repositoryID
        self.snapshotID = snapshotID
        self.hold = hold
        self.event = event
        self.reason = reason
        self.placedBy = placedBy
        self.placedAt = placedAt
    }

    /// A hold mirror file: `"KURAHD01" || crypto_box_seal(key) || nonce || XChaCha20-Poly1305(key, JSON)`,
    /// associated data "kura hold"; its name is the BLAKE2b-256 of the file. Sealed like a snapshot: any key
    /// (a write-only one too) can write it, only a full key reads it.
    static let magic = Array("KURAHD01".utf8)
    static let associatedData = Array("kura hold".utf8)

    func seal(publicKey: [UInt8]) throws -> [UInt8] {
        let key = AEAD.generateKey()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = Array(try encoder.encode(self))
        return Self.magic + (try SealedBox.seal(key, to: publicKey)) + (try AEAD.seal(json, key: key, associatedData: Self.associatedData))
    }

    static func open(_ bytes: [UInt8], key: MasterKey) throws -> HoldMirror {
        let secretKey = try key.requireSecretKey()
        let sealedLength = 32 + SealedBox.overheadBytes
        guard bytes.count > magic.count + sealedLength, Array(bytes[..<magic.count]) == magic else {
            throw RepositoryError(.damaged, "not a kura hold file")
        }
        do {
            let holdKey = try SealedBox.open(Array(bytes[magic.count..<(magic.count + sealedLength)]), publicKey: key.publicKey, secretKey: secretKey)
            let json = try AEAD.open(Array(bytes[(magic.count + sealedLength)...]), key: holdKey, associatedData: associatedData)
            return try JSONDecoder().decode(HoldMirror.self, from: Data(json))
        } catch {
            throw RepositoryError(.damaged, "it fails authentication or does not decode")
        }
    }
}

extension Repository {
    /// Writes `mirror` to `holds/` (created on first use, so repositories made before holds existed still open).
    /// With a full key, a mirror of the same catalog event already there is kept instead of writing a second one.
    @discardableResult
    public func mirrorHold(_ mirror: HoldMirror) throws -> BlobID {
        if !isWriteOnly, let existing = try holdMirrors().first(where: { $0.mirror.event == mirror.event }) {
            return existing.id
        }
        let bytes = try mirror.seal(publicKey: key.publicKey)
        let id = BlobID.ofFile(bytes)
        try backend.save(.hold(id), bytes)
        return id
    }

    /// Every hold mirrored into this repository that names it, by file id. Needs a full key; a file that does not
    /// open is damage (a hold must never be skipped silently), named in the error.
    public func holdMirrors() throws -> [(id: BlobID, mirror: HoldMirror)] {
        guard !isWriteOnly else { throw RepositoryError.writeOnly }
        let repositoryID = id.hex
        return try backend.ids(.holds).compactMap { fileID in
            let bytes = try backend.load(.hold(fileID))
            guard BlobID.ofFile(bytes) == fileID else {
                throw RepositoryError(.damaged, "hold file holds/\(fileID.hex) does not match its name")
            }
            do {
                let mirror = try HoldMirror.open(bytes, key: key)
                return mirror.repositoryID == repositoryID ? (fileID, mirror) : nil
            } catch let error as RepositoryError {
                throw RepositoryError(.damaged, "hold file holds/\(fileID.hex): \(error.message); a hold may be lost: "
                    + "check it against the catalog (kura hold list) before removing the file")
            }
        }
    }

    /// Removes the mirrors of the catalog hold placed by event `event`; returns how many. Needs a full key: a
    /// write-only key can place a hold's mirror but never take one away.
    @discardableResult
    public func removeHoldMirrors(event: String) throws -> Int {
        guard !isWriteOnly else {
            throw RepositoryError(.writeOnlyKey, "this key is write-only: it cannot remove a hold from the repository")
        }
        let matching = try holdMirrors().filter { $0.mirror.event == event }
        for (id, _) in matching { try backend.remove(.hold(id)) }
        return matching.count
    }
}

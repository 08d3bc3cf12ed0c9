import Foundation
import KuraCrypto
import KuraRepository

/// The first entry of every backup set on a medium (`SET/label.json`). In format version 2 the
/// clear part holds only what identifying the medium and decrypting the set need (serial,
/// barcode, repository id, set and snapshot ids, sizes, dates, passphrase-protected key slots);
/// who wrote the set and each snapshot's host, paths and tags are sealed under a key derived from
/// the repository's secret key, and a MAC under another such key authenticates the whole label.
/// Version-1 labels, which carried everything in the clear and no MAC, are still read.
public struct MediumLabel: Codable, Sendable {
    public static let format = "kura-medium"
    public static let currentVersion = 2
    public static let readableVersions = 1...2

    /// What the clear part says about one snapshot.
    public struct SnapshotSummary: Codable, Sendable, Equatable {
        public var id: String
        public var time: String
        public var bytes: Int64

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, time, bytes

            var meaning: String {
                switch self {
                case .id: "the snapshot's id"
                case .time: "when the snapshot was taken"
                case .bytes: "how many bytes its backup read"
                }
            }
        }
    }

    /// Who wrote the set and what each snapshot backs up: sealed in a version-2 label (read with
    /// the passphrase), in the clear in a version-1 one.
    public struct Details: Codable, Sendable, Equatable {
        public struct Origin: Codable, Sendable, Equatable {
            public var id: String
            public var hostname: String
            public var paths: [String]
            public var tags: [String]
        }

        public var writtenBy: String
        public var snapshots: [Origin]

        enum CodingKeys: String, CodingKey { case writtenBy = "written_by", snapshots }

        public func origin(of id: String) -> Origin? { snapshots.first { $0.id == id } }
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
    public var retainUntil: String
    /// Key slot files (JSON), by id: Argon2id-protected, so only the passphrase opens them. Their
    /// host and user names are blanked.
    public var keySlots: [String: String]
    /// Base64 of `nonce || XChaCha20-Poly1305(seal key, "kura medium label", JSON of SealedPart)`.
    public var sealed: String?
    /// Hex of the keyed BLAKE2b-256 (MAC key) of the label's canonical bytes without this member.
    public var mac: String?

    /// The sealed details, once `authenticated(with:)` opened them; a version-1 label's from the clear.
    public private(set) var details: Details? = nil
    /// Whether the MAC and the sealed part were checked with the repository's key.
    public private(set) var isAuthenticated = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, version, set, serial, barcode, repositoryID = "repository_id", snapshots, packs, bytes
        case writtenAt = "written_at", retainUntil = "retain_until", keySlots = "key_slots", sealed, mac

        var meaning: String {
            switch self {
            case .format: "the string kura-medium"
            case .version: "the label's format version"
            case .set: "the set's name (random)"
            case .serial: "the medium's serial"
            case .barcode: "the medium's barcode"
            case .repositoryID: "the repository's id"
            case .snapshots: "one entry per snapshot in the set"
            case .packs: "how many packs the set holds"
            case .bytes: "the set's size in bytes"
            case .writtenAt: "when the set was written"
            case .retainUntil: "until when the set is kept"
            case .keySlots: "the repository's full key slots: id, creation time, Argon2id limits and salt, and the master "
                + "key encrypted under the passphrase (one offline guess costs one Argon2id run)"
            case .sealed: "the sealed details (who wrote the set, each snapshot's host, paths and tags): ciphertext"
            case .mac: "the label's MAC: reveals nothing"
            }
        }
    }

    /// Every member a version-2 label shows in the clear, from the same coding keys that write it,
    /// so what the exposure report says a lost medium reveals cannot drift from what it holds.
    public static var fieldsInTheClear: [(field: String, meaning: String)] {
        CodingKeys.allCases.flatMap { key -> [(field: String, meaning: String)] in
            let own: [(field: String, meaning: String)] = [(field: key.rawValue, meaning: key.meaning)]
            guard key == .snapshots else { return own }
            return own + SnapshotSummary.CodingKeys.allCases.map { (field: "\(key.rawValue)[].\($0.rawValue)", meaning: $0.meaning) }
        }
    }

    /// What a medium shows besides its labels, to anyone who reads it.
    public static let archiveInTheClear: [(field: String, meaning: String)] = [
        ("entry names", "the set's name and the ids of its snapshots, index and packs"),
        ("entry sizes and times", "the size of every snapshot file, index and pack, the bytes of tree blobs per pack, and the time of writing"),
        ("config", "the repository's id, chunker sizes, compression level and pack size"),
    ]

    /// The sealed part: the details, and the clear members as written so a change can be named.
    struct SealedPart: Codable {
        var details: Details
        var plaintext: String
    }

    static let sealedAssociatedData = Array("kura medium label".utf8)

    /// The canonical bytes the MAC covers: compact JSON with sorted keys, without `mac`.
    var canonical: [UInt8] {
        var copy = self
        copy.mac = nil
        return Self.canonicalBytes(copy)
    }

    private static func canonicalBytes<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    /// The bytes written to the medium: pretty-printed, followed by a newline.
    var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [10]
    }

    private static func keys(_ key: MasterKey) throws -> (seal: [UInt8], mac: [UInt8]) {
        (try key.derivedKey(for: "kura medium label seal"), try key.derivedKey(for: "kura medium label mac"))
    }

    /// A version-2 label: `details` sealed and the whole authenticated with `key` (a full key).
    static func make(set: String, serial: String, barcode: String?, repositoryID: String, snapshots: [SnapshotSummary],
                     packs: Int, bytes: Int64, writtenAt: String, retainUntil: String, keySlots: [String: String],
                     details: Details, key: MasterKey) throws -> MediumLabel {
        var label = MediumLabel(set: set, serial: serial, barcode: barcode, repositoryID: repositoryID, snapshots: snapshots,
                                packs: packs, bytes: bytes, writtenAt: writtenAt, retainUntil: retainUntil, keySlots: keySlots)
        let keys = try Self.keys(key)
        let part = SealedPart(details: details, plaintext: String(decoding: label.canonical, as: UTF8.self))
        label.sealed = Data(try AEAD.seal(canonicalBytes(part), key: keys.seal, associatedData: sealedAssociatedData)).base64EncodedString()
        label.mac = Hex.encode(Blake2b.hash256(label.canonical, key: keys.mac))
        label.details = details
        label.isAuthenticated = true
        return label
    }

    init(set: String, serial: String, barcode: String?, repositoryID: String, snapshots: [SnapshotSummary], packs: Int,
         bytes: Int64, writtenAt: String, retainUntil: String, keySlots: [String: String]) {
        self.set = set
        self.serial = serial
        self.barcode = barcode
        self.repositoryID = repositoryID
        self.snapshots = snapshots
        self.packs = packs
        self.bytes = bytes
        self.writtenAt = writtenAt
        self.retainUntil = retainUntil
        self.keySlots = keySlots
    }

    /// A key slot as a label carries it: the repository's slot with its host and user names blanked.
    static func labelKeySlot(_ file: [UInt8]) throws -> String {
        var slot = try KeySlot.decode(file)
        slot.hostname = ""
        slot.username = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(slot), as: UTF8.self) + "\n"
    }

    /// This label with its details, once its MAC and sealed part check out under `key`. A
    /// version-1 label has neither and is returned as it is (`isAuthenticated` stays false).
    /// Throws `.unauthenticLabel` naming the changed members when it can.
    public func authenticated(with key: MasterKey) throws -> MediumLabel {
        guard version >= 2 else { return self }
        guard let mac, let sealed else {
            throw MediaError(.unauthenticLabel, "the label of set \(set) fails authentication: it has no \(self.mac == nil ? "MAC" : "sealed part")")
        }
        let keys = try Self.keys(key)
        var part: SealedPart?
        if let box = Data(base64Encoded: sealed),
           let plain = try? AEAD.open(Array(box), key: keys.seal, associatedData: Self.sealedAssociatedData) {
            part = try? JSONDecoder().decode(SealedPart.self, from: Data(plain))
        }
        let macMatches = Hex.encode(Blake2b.hash256(canonical, key: keys.mac)) == mac.lowercased()
        if macMatches, let part {
            var copy = self
            copy.details = part.details
            copy.isAuthenticated = true
            return copy
        }
        var plain = self
        plain.sealed = nil
        plain.mac = nil
        let changes = part.map { Self.differences(written: Array($0.plaintext.utf8), now: plain.canonical) } ?? []
        let what = !changes.isEmpty ? changes.joined(separator: "; ")
            : part == nil ? "its sealed part does not open with the repository's key (changed, or written for another repository)"
            : "its MAC does not match (the label was changed after it was written)"
        throw MediaError(.unauthenticLabel, "the label of set \(set) fails authentication: \(what)")
    }

    /// The members that differ between two canonical labels, in words.
    private static func differences(written: [UInt8], now: [UInt8]) -> [String] {
        guard let before = try? JSONSerialization.jsonObject(with: Data(written)) as? [String: Any],
              let after = try? JSONSerialization.jsonObject(with: Data(now)) as? [String: Any] else { return [] }
        func text(_ value: Any?) -> String {
            guard let value else { return "nothing" }
            if let string = value as? String { return "'\(string)'" }
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
        return Set(before.keys).union(after.keys).sorted().compactMap { name in
            let was = text(before[name]), shows = text(after[name])
            guard was != shows else { return nil }
            return was.count + shows.count <= 160 ? "\(name) reads \(shows) but was written as \(was)" : "\(name) was changed"
        }
    }

    /// Only the format and version, to choose how to decode the rest.
    private struct Header: Decodable {
        var format: String
        var version: Int
    }

    /// A version-1 label: everything in the clear, nothing authenticated.
    private struct Version1: Decodable {
        struct Snapshot: Decodable {
            var id: String
            var time: String
            var hostname: String
            var paths: [String]
            var tags: [String]
            var bytes: Int64
        }

        var set: String
        var serial: String
        var barcode: String?
        var repositoryID: String
        var snapshots: [Snapshot]
        var packs: Int
        var bytes: Int64
        var writtenAt: String
        var writtenBy: String
        var retainUntil: String
        var keySlots: [String: String]

        enum CodingKeys: String, CodingKey {
            case set, serial, barcode, snapshots, packs, bytes
            case repositoryID = "repository_id", writtenAt = "written_at", writtenBy = "written_by"
            case retainUntil = "retain_until", keySlots = "key_slots"
        }

        var label: MediumLabel {
            var label = MediumLabel(set: set, serial: serial, barcode: barcode, repositoryID: repositoryID,
                                    snapshots: snapshots.map { SnapshotSummary(id: $0.id, time: $0.time, bytes: $0.bytes) },
                                    packs: packs, bytes: bytes, writtenAt: writtenAt, retainUntil: retainUntil, keySlots: keySlots)
            label.version = 1
            label.details = Details(writtenBy: writtenBy,
                                    snapshots: snapshots.map { .init(id: $0.id, hostname: $0.hostname, paths: $0.paths, tags: $0.tags) })
            return label
        }
    }

    /// Decodes the label entry at `path`; version 1 and 2 are read.
    package static func decode(_ bytes: [UInt8], path: String, device: String) throws -> MediumLabel {
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(bytes)), header.format == format else {
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium: its label does not decode")
        }
        guard readableVersions.contains(header.version) else {
            throw MediaError(.notKuraMedium, "\(device) holds a kura medium of format version \(header.version); "
                + "this kura reads versions \(readableVersions.lowerBound) to \(readableVersions.upperBound)")
        }
        let label: MediumLabel
        do {
            label = header.version == 1 ? try JSONDecoder().decode(Version1.self, from: Data(bytes)).label
                                        : try JSONDecoder().decode(MediumLabel.self, from: Data(bytes))
        } catch {
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium: its label does not decode")
        }
        guard path == label.set + "/label.json" else {
            throw MediaError(.damaged, "\(device): the label entry \(path) names another set, \(label.set)")
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

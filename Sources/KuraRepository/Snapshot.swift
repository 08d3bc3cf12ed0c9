import Foundation
import KuraCrypto

/// What one backup recorded; stored sealed in `REPO/snapshots/ID`.
public struct Snapshot: Codable, Sendable {
    public struct Summary: Codable, Sendable {
        public var files: Int
        public var directories: Int
        public var bytesRead: Int64
        /// Raw bytes of blobs that were not in the repository before.
        public var bytesNew: Int64
        /// Bytes this backup added to pack files (compressed and encrypted).
        public var bytesStored: Int64
        public var unreadable: Int
        public var duration: Double

        enum CodingKeys: String, CodingKey {
            case files, directories, bytesRead = "bytes_read", bytesNew = "bytes_new", bytesStored = "bytes_stored",
                 unreadable, duration = "duration_seconds"
        }
    }

    public var time: Date
    public var hostname: String
    public var username: String
    /// The paths backed up, or the stream names of `--stdin`/`--from-command` sources.
    public var paths: [String]
    public var tags: [String]
    public var tree: BlobID
    public var program: String
    public var summary: Summary?
    /// Set by `kura copy`: the snapshot this one is a copy of (the first original, for a copy of a copy).
    public var copiedFrom: Origin?

    /// Which repository and snapshot a copy came from.
    public struct Origin: Codable, Sendable, Hashable {
        /// The repository id (hex) and the snapshot id (hex) there.
        public var repository: String
        public var snapshot: String

        public init(repository: String, snapshot: String) {
            self.repository = repository
            self.snapshot = snapshot
        }
    }

    enum CodingKeys: String, CodingKey {
        case time, hostname, username, paths, tags, tree, program, summary, copiedFrom = "copied_from"
    }

    /// A snapshot file: `"KURASN01" || crypto_box_seal(key) || nonce || XChaCha20-Poly1305(key, JSON)`,
    /// associated data "kura snapshot"; its name is the BLAKE2b-256 of the file.
    package static let magic = Array("KURASN01".utf8)
    package static let associatedData = Array("kura snapshot".utf8)

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Snapshot.formatTime(date))
        }
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Snapshot.parseTime(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad time \(text)"))
            }
            return date
        }
        return d
    }

    /// A snapshot's time as stored: RFC 3339 in UTC with milliseconds.
    public static func formatTime(_ date: Date) -> String { InternetTime.format(date, milliseconds: true) }

    /// A stored time, with or without a fraction of a second.
    public static func parseTime(_ text: String) -> Date? { InternetTime.parse(text) }

    func seal(publicKey: [UInt8]) throws -> [UInt8] {
        var key = AEAD.generateKey()
        defer { SecureMemory.wipe(&key) }
        let json = Array(try Self.encoder.encode(self))
        return Self.magic + (try SealedBox.seal(key, to: publicKey)) + (try AEAD.seal(json, key: key, associatedData: Self.associatedData))
    }

    static func open(_ bytes: [UInt8], key: MasterKey) throws -> Snapshot {
        let secretKey = try key.requireSecretKey()
        let sealedLength = 32 + SealedBox.overheadBytes
        guard bytes.count > magic.count + sealedLength, Array(bytes[..<magic.count]) == magic else {
            throw RepositoryError(.damaged, "not a kura snapshot file")
        }
        do {
            var snapshotKey = try SealedBox.open(Array(bytes[magic.count..<(magic.count + sealedLength)]),
                                                 publicKey: key.publicKey, secretKey: secretKey)
            defer { SecureMemory.wipe(&snapshotKey) }
            let json = try AEAD.open(Array(bytes[(magic.count + sealedLength)...]), key: snapshotKey, associatedData: associatedData)
            return try decoder.decode(Snapshot.self, from: Data(json))
        } catch let error as DecodingError {
            throw RepositoryError(.damaged, "snapshot does not decode: \(error)")
        } catch {
            throw RepositoryError(.damaged, "snapshot fails authentication")
        }
    }
}

/// A snapshot with the id it is stored under.
public struct SnapshotEntry: Sendable {
    public var id: BlobID
    public var snapshot: Snapshot

    public init(id: BlobID, snapshot: Snapshot) {
        self.id = id
        self.snapshot = snapshot
    }

    /// Whether the snapshot claims a time further ahead of `now` than clocks plausibly drift
    /// (`Snapshot.futureSkew`). A host holding a write-only key chooses its snapshots' times, so such a
    /// snapshot is never `latest` and never counts toward keep rules: it could otherwise push real ones out.
    public func isFutureDated(now: Date) -> Bool {
        snapshot.time.timeIntervalSince(now) > Snapshot.futureSkew
    }
}

extension Snapshot {
    /// How far a snapshot's time may run ahead of the reader's clock: 10 minutes.
    public static let futureSkew: TimeInterval = 600
}

import KuraCrypto

public enum BlobType: UInt8, Sendable, Codable {
    case data = 0
    case tree = 1
}

/// One blob's place in a pack.
public struct PackEntry: Sendable, Equatable {
    public var id: BlobID
    public var type: BlobType
    /// Bit 0: the payload is zstd-compressed (otherwise stored raw because it did not shrink).
    public var flags: UInt8
    /// Offset of the blob's nonce within the pack file.
    public var offset: UInt32
    /// Bytes on disk: nonce + ciphertext + tag.
    public var length: UInt32
    /// Bytes of plaintext after decryption and decompression.
    public var rawLength: UInt32

    public init(id: BlobID, type: BlobType, flags: UInt8, offset: UInt32, length: UInt32, rawLength: UInt32) {
        self.id = id
        self.type = type
        self.flags = flags
        self.offset = offset
        self.length = length
        self.rawLength = rawLength
    }

    public var isCompressed: Bool { flags & 1 != 0 }
    public static let encodedSize = 1 + 1 + 32 + 4 + 4 + 4
}

/// The pack file layout (see kura-repository(5)):
///
///     "KURAPK01" | crypto_box_seal(pack key) (80) | blob... | header | u32 header length | "KURAPK01"
///
/// Each blob is `nonce(24) || XChaCha20-Poly1305(pack key, payload)` with the blob id as
/// associated data; the header is `nonce(24) || XChaCha20-Poly1305(pack key, entries)` with
/// associated data "kura pack header". A pack's name is the BLAKE2b-256 of the whole file.
public enum PackFormat {
    public static let magic = Array("KURAPK01".utf8)
    public static let sealedKeyLength = 32 + SealedBox.overheadBytes
    public static let blobsOffset = magic.count + sealedKeyLength
    public static let trailerLength = 4 + magic.count
    public static let blobOverhead = AEAD.nonceBytes + AEAD.tagBytes
    package static let headerAssociatedData = Array("kura pack header".utf8)

    package static func encodeEntries(_ entries: [PackEntry]) -> [UInt8] {
        var out = ByteWriter()
        out.u32(UInt32(entries.count))
        for e in entries {
            out.u8(e.type.rawValue)
            out.u8(e.flags)
            out.id(e.id)
            out.u32(e.offset)
            out.u32(e.length)
            out.u32(e.rawLength)
        }
        return out.bytes
    }

    package static func decodeEntries(_ bytes: [UInt8]) throws -> [PackEntry] {
        var r = ByteReader(bytes)
        let count = Int(try r.u32())
        guard count <= (bytes.count - 4) / PackEntry.encodedSize else { throw ByteReader.truncated }
        var entries: [PackEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard let type = BlobType(rawValue: try r.u8()) else { throw RepositoryError(.damaged, "unknown blob type") }
            entries.append(PackEntry(id: BlobID.zero, type: type, flags: try r.u8(), offset: 0, length: 0, rawLength: 0))
            entries[entries.count - 1].id = try r.id()
            entries[entries.count - 1].offset = try r.u32()
            entries[entries.count - 1].length = try r.u32()
            entries[entries.count - 1].rawLength = try r.u32()
        }
        return entries
    }
}

/// Little-endian writer for kura's binary formats.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func id(_ v: BlobID) { v.withBytes { bytes.append(contentsOf: $0) } }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
}

/// Little-endian reader; every read past the end throws `truncated`.
struct ByteReader {
    static let truncated = RepositoryError(.damaged, "record is truncated")
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw Self.truncated }
        defer { position += n }
        return bytes[position..<(position + n)]
    }
    mutating func u8() throws -> UInt8 { try take(1).first! }
    mutating func u32() throws -> UInt32 {
        try take(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }
    mutating func u64() throws -> UInt64 {
        try take(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }
    mutating func id() throws -> BlobID { try take(32).withUnsafeBytes { BlobID(bytes: $0) } }
}

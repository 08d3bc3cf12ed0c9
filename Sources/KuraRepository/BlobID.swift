import KuraCrypto

/// A 32-byte identifier: a blob's keyed BLAKE2b-256, or a file's plain BLAKE2b-256 name.
/// Held as four words so dictionary hashing and comparison are cheap.
public struct BlobID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var w0, w1, w2, w3: UInt64

    public static let byteCount = 32
    public static let zero = BlobID(w0: 0, w1: 0, w2: 0, w3: 0)

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        w0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { BlobID(bytes: $0) }
    }

    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        withBytes { src in out.withUnsafeMutableBytes { $0.copyMemory(from: src) } }
        return out
    }

    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = (w0, w1, w2, w3)
        return try withUnsafeBytes(of: &copy) { try body($0) }
    }

    public var hex: String { Hex.encode(bytes) }
    public var short: String { String(hex.prefix(8)) }
    public var description: String { hex }

    /// The order of the bytes (as of the hex), compared a word at a time.
    public static func < (a: BlobID, b: BlobID) -> Bool {
        if a.w0 != b.w0 { return a.w0.bigEndian < b.w0.bigEndian }
        if a.w1 != b.w1 { return a.w1.bigEndian < b.w1.bigEndian }
        if a.w2 != b.w2 { return a.w2.bigEndian < b.w2.bigEndian }
        return a.w3.bigEndian < b.w3.bigEndian
    }

    /// The first 8 bytes as a number, in the same order as `<`.
    var leadingBytes: UInt64 { w0.bigEndian }

    /// The unkeyed BLAKE2b-256 of `data`: the name of a pack, index or snapshot file.
    public static func ofFile(_ data: [UInt8]) -> BlobID { BlobID(Blake2b.hash256(data)) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = BlobID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a 64-digit hex id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

/// Little-endian integers, length-prefixed strings and raw bytes: the local cache files' encoding (`SnapshotCache`,
/// `FilesCache`), which a listing or a backup decodes whole, so it must cost far less than JSON.
struct BinaryWriter {
    var out: [UInt8] = []

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    mutating func bytes(_ bytes: [UInt8]) { out.append(contentsOf: bytes) }

    mutating func id(_ id: BlobID) { id.withBytes { out.append(contentsOf: $0) } }

    mutating func string(_ text: String) {
        integer(UInt64(text.utf8.count))
        out.append(contentsOf: text.utf8)
    }

    mutating func strings(_ texts: [String]) {
        integer(UInt64(texts.count))
        for text in texts { string(text) }
    }
}

/// Reads what `BinaryWriter` wrote; throws `Damaged` rather than read past the end.
struct BinaryReader {
    struct Damaged: Error {}
    let bytes: [UInt8]
    private(set) var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { at == bytes.count }
    var remaining: Int { bytes.count - at }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else { throw Damaged() }
        defer { at += count }
        return Array(bytes[at..<(at + count)])
    }

    mutating func integer() throws -> UInt64 {
        guard remaining >= 8 else { throw Damaged() }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        at += 8
        return UInt64(littleEndian: value)
    }

    /// A count of items each at least `minimumSize` bytes long, checked against what is left.
    mutating func count(minimumSize: Int = 1) throws -> Int {
        let n = try integer()
        guard n <= UInt64(remaining / max(1, minimumSize)) else { throw Damaged() }
        return Int(n)
    }

    mutating func id() throws -> BlobID {
        guard remaining >= BlobID.byteCount else { throw Damaged() }
        defer { at += BlobID.byteCount }
        return bytes.withUnsafeBytes { BlobID(bytes: UnsafeRawBufferPointer(rebasing: $0[at..<(at + BlobID.byteCount)])) }
    }

    mutating func string() throws -> String {
        let count = try count()
        defer { at += count }
        return bytes.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[at..<(at + count)]), as: UTF8.self) }
    }

    mutating func strings() throws -> [String] {
        try (0..<count(minimumSize: 8)).map { _ in try string() }
    }
}

import KuraCrypto

/// The framing of a files-cache file (`KURAFC03`): the magic, then blocks of whole entries, each
/// `length (8 bytes, > 0) · entries · digest`, then the end, `0 (8 bytes) · number of entries (8 bytes) · digest`.
/// Every digest is the BLAKE2b-256 of the previous one (the first: of the magic) followed by the bytes of its
/// block before the digest, so a reader trusts each block as it reaches it, and a block moved, dropped or
/// changed breaks the chain there. Numbers are little-endian. Public for `kura-fuzz`, which frames fuzzed entries.
public struct FilesCacheBlocks {
    public static let magic = Array("KURAFC03".utf8)
    static let digestBytes = 32
    /// Entries are gathered up to this many bytes a block (a block holds at least one entry, whatever its size).
    public static let blockBytes = 1 << 20

    private(set) var chain = Blake2b.hash256(magic)

    public init() {}

    /// The bytes of one block holding `entries`.
    public mutating func block(_ entries: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(!entries.isEmpty, "a files-cache block holds at least one entry")
        var out = Self.littleEndian(UInt64(entries.count))
        out.append(contentsOf: entries)
        return seal(out)
    }

    /// The end of the file, after `count` entries.
    public mutating func end(count: Int) -> [UInt8] {
        seal(Self.littleEndian(0) + Self.littleEndian(UInt64(count)))
    }

    private mutating func seal(_ body: [UInt8]) -> [UInt8] {
        let previous = chain
        chain = body.withUnsafeBytes { Self.next(previous, $0) }
        return body + chain
    }

    /// The digest that follows `body` when the previous digest was `previous`.
    static func next(_ previous: [UInt8], _ body: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = Blake2bHasher()
        hasher.update(previous)
        hasher.update(body)
        return hasher.finalize()
    }

    static func littleEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

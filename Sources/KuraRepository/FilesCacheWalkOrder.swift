/// The order in which a backup visits paths: depth first, each directory's names in UTF-8 byte order.
/// It is the byte order of the paths with `/` taken as lower than any other byte ("/a/x" comes before
/// "/a b" and "/a-b", as "a" is listed before "a b" and "a-b"), and it is the order of the entries in a
/// files-cache file, so that a backup reads the old entries once, front to back, as it walks.
enum FilesCacheWalkOrder {
    /// Negative when `a` is visited before `b`, zero when they are the same path, positive after.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        var i = 0
        while i < common {
            let x = a[i], y = b[i]
            if x != y { return rank(x) - rank(y) }
            i += 1
        }
        return a.count - b.count
    }

    /// `/` first, then every other byte in its order: a total order even on paths a damaged or forged
    /// file holds (NUL ranks after `/`, so "a\0b" and "a/b" are not taken for one path).
    private static func rank(_ byte: UInt8) -> Int { byte == 0x2F ? 0 : Int(byte) + 1 }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in b.withUnsafeBytes { compare(a, $0) } }
    }
}

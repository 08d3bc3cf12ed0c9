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
            if x != y { return Int(x == 0x2F ? 0 : x) - Int(y == 0x2F ? 0 : y) }
            i += 1
        }
        return a.count - b.count
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in b.withUnsafeBytes { compare(a, $0) } }
    }
}

import KuraSystem

/// Files-cache entries kept as a file encodes them, one after another (path length and path, size, mtime,
/// ctime, inode, id count and ids, little-endian), and found through a half-full table of their offsets
/// keyed by a hash of the path. It holds a file in an older format (`KURAFC01`, `KURAFC02`, JSON), which
/// is loaded whole once, and it encodes and decodes single entries for every format.
///
/// A path added again replaces the earlier entry (its bytes stay, unreferenced, until the table is dropped).
final class FilesCacheEntries {
    private var bytes = RecordArray<UInt8>()
    /// Offset + 1 of each entry, linear probing from the path's hash; 0 is empty.
    private var slots: [Int] = []
    private(set) var count = 0

    init() {}

    /// The entries in `file[body]` (a cache file's entries, without magic, count or digest), each checked to lie
    /// within it; nil when one does not, or when there are not `expected` of them.
    init?(file: [UInt8], body: Range<Int>, expected: Int) {
        file.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[body])) }
        var at = 0
        var entries = 0
        while at < bytes.count {
            guard let length = Self.entryLength(raw, at: at) else { return nil }
            index(offset: at)
            at += length
            entries += 1
        }
        guard entries == expected else { return nil }
    }

    /// The entries' bytes in place, valid until the next `add`.
    private var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes.unsafeElements) }

    func add(_ path: String, _ e: FilesCache.Entry) {
        var w = BinaryWriter()
        Self.encode(path, e, into: &w)
        let offset = bytes.count
        w.out.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        index(offset: offset)
    }

    /// One entry as the file encodes it.
    static func encode(_ path: String, _ e: FilesCache.Entry, into w: inout BinaryWriter) {
        w.string(path)
        w.integer(e.size)
        w.integer(UInt64(bitPattern: e.mtime))
        w.integer(UInt64(bitPattern: e.ctime))
        w.integer(e.inode)
        w.integer(UInt64(e.content.count))
        for id in e.content { w.id(id) }
    }

    /// Each entry's bytes (the latest for a path), in no particular order.
    func forEachEntry(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let raw = raw
        for slot in slots where slot != 0 {
            let offset = slot - 1
            let length = Self.entryLength(raw, at: offset)!
            try body(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
        }
    }

    /// The bytes of the entry at `location`, valid until the next `add`.
    func bytes(at location: Int) -> UnsafeRawBufferPointer {
        let raw = raw
        return UnsafeRawBufferPointer(rebasing: raw[location..<(location + Self.entryLength(raw, at: location)!)])
    }

    /// The location of each path's latest entry, in the order a backup visits the paths.
    func locationsInWalkOrder() -> [Int] {
        let raw = raw
        return slots.filter { $0 != 0 }.map { $0 - 1 }.sorted {
            FilesCacheWalkOrder.compare(Self.path(raw, at: $0), Self.path(raw, at: $1)) < 0
        }
    }

    // MARK: - The table

    private func index(offset: Int) {
        if (count + 1) * 2 > slots.count { grow() }
        let raw = raw
        let key = Self.path(raw, at: offset)
        let mask = slots.count - 1
        var i = Self.hash(key) & mask
        var replaced = false
        while slots[i] != 0 {
            if Self.path(raw, at: slots[i] - 1).elementsEqual(key) { replaced = true; break }
            i = (i + 1) & mask
        }
        slots[i] = offset + 1
        if !replaced { count += 1 }
    }

    private func grow() {
        let size = max(1024, slots.count * 2)
        var table = [Int](repeating: 0, count: size)
        let mask = size - 1
        let raw = raw
        for slot in slots where slot != 0 {
            var i = Self.hash(Self.path(raw, at: slot - 1)) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = slot
        }
        slots = table
    }

    /// Swift's per-process seeded hash, so that no set of path names can be made to collide.
    private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return hasher.finalize()
    }

    static func withPathBytes<R>(_ path: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = path
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    // MARK: - One entry's bytes

    private static func integer(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The path of an entry already checked by `entryLength`.
    static func path(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UnsafeRawBufferPointer {
        let length = Int(integer(raw, at: offset))
        return UnsafeRawBufferPointer(rebasing: raw[(offset + 8)..<(offset + 8 + length)])
    }

    /// The length of the entry at `offset`, or nil when it does not fit in `raw`.
    static func entryLength(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        let left = raw.count - offset
        guard left >= 8 else { return nil }
        let pathLength = integer(raw, at: offset)
        guard pathLength <= UInt64(left - 8), left - 8 - Int(pathLength) >= 40 else { return nil }
        let fixed = 8 + Int(pathLength) + 40
        let ids = integer(raw, at: offset + fixed - 8)
        guard ids <= UInt64((left - fixed) / BlobID.byteCount) else { return nil }
        return fixed + Int(ids) * BlobID.byteCount
    }

    static func decode(_ raw: UnsafeRawBufferPointer, at offset: Int) -> FilesCache.Entry {
        var at = offset + 8 + Int(integer(raw, at: offset))
        func next() -> UInt64 { defer { at += 8 }; return integer(raw, at: at) }
        let size = next(), mtime = Int64(bitPattern: next()), ctime = Int64(bitPattern: next()), inode = next()
        let ids = Int(next())
        var content: [BlobID] = []
        content.reserveCapacity(ids)
        for n in 0..<ids {
            let start = at + n * BlobID.byteCount
            content.append(BlobID(bytes: UnsafeRawBufferPointer(rebasing: raw[start..<(start + BlobID.byteCount)])))
        }
        return FilesCache.Entry(size: size, mtime: mtime, ctime: ctime, inode: inode, content: content)
    }
}

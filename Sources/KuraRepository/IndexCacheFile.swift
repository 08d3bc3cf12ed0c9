import Foundation
import KuraCrypto
import KuraSystem

/// `CACHE/kura/REPOSITORY-ID/index`: every record of the index files named in it, sorted by id, so that a large
/// index is looked up on disk (`IndexTable`) instead of being held in memory. It is a cache: missing, damaged,
/// or naming an index file the repository no longer has, it is made again from the index files.
///
/// `"KURAIC01" · n (4) · n index file ids · p (4) · p pack ids · records (50 bytes each, strictly sorted by id) ·
/// record count (8) · MAC (32)`; numbers little-endian, a record's pack number counts into the pack ids. The MAC
/// is the BLAKE2b-256 of every byte before it keyed with the BLAKE2b-256 of "kura index cache" keyed with the
/// index key, so only a holder of the repository's key can make a cache that is believed: one written by
/// anyone else could make a backup skip data the repository does not hold.
struct IndexCacheFile {
    static let magic = Array("KURAIC01".utf8)
    static let fileName = "index"

    var covered: [BlobID]
    var packs: [BlobID]
    var table: IndexTable

    static func macKey(_ key: MasterKey) -> [UInt8] {
        var hasher = Blake2bHasher(key: key.indexKey)
        hasher.update(Array("kura index cache".utf8))
        return hasher.finalize()
    }

    /// The cache at `path`, checked whole (MAC, order, pack numbers, types); nil if missing or wrong anywhere.
    static func open(path: String, key: MasterKey) -> IndexCacheFile? {
        guard let fd = try? Posix.open(path, O_RDONLY) else { return nil }
        guard let opened = try? read(fd: fd, path: path, key: key) else {
            Posix.close(fd)
            return nil
        }
        return opened
    }

    private static func read(fd: Int32, path: String, key: MasterKey) throws -> IndexCacheFile? {
        let size = Int(try Posix.fstat(fd, path: path).st_size)
        var offset = 0
        var mac = Blake2bHasher(key: macKey(key))
        func take(_ count: Int) throws -> [UInt8]? {
            guard count >= 0, offset + count <= size else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            try bytes.withUnsafeMutableBytes { try Posix.preadFully(fd, into: $0, offset: offset, path: path) }
            offset += count
            return bytes
        }
        func number(_ bytes: [UInt8]) -> Int { bytes.reversed().reduce(0) { $0 << 8 | Int($1) } }
        func ids() throws -> [BlobID]? {
            guard let countBytes = try take(4), let bytes = try take(number(countBytes) * 32) else { return nil }
            mac.update(countBytes)
            mac.update(bytes)
            return stride(from: 0, to: bytes.count, by: 32).map { BlobID(Array(bytes[$0..<($0 + 32)])) }
        }
        guard let magic = try take(Self.magic.count), magic == Self.magic else { return nil }
        mac.update(magic)
        guard let covered = try ids(), let packs = try ids() else { return nil }
        let start = offset
        let recordBytes = size - start - 40
        guard recordBytes >= 0, recordBytes % IndexTable.recordBytes == 0 else { return nil }
        let count = recordBytes / IndexTable.recordBytes
        var summary = IndexTableSummary(expected: count)
        let batch = (1 << 20) / IndexTable.recordBytes
        var done = 0
        while done < count {
            let n = min(batch, count - done)
            guard let bytes = try take(n * IndexTable.recordBytes) else { return nil }
            mac.update(bytes)
            let valid = bytes.withUnsafeBytes { raw in
                (0..<n).allSatisfy { i in
                    let at = i * IndexTable.recordBytes
                    let record = IndexRecord.decode(UnsafeRawBufferPointer(rebasing: raw[at...]))
                    return Int(record.location.pack) < packs.count && BlobType(rawValue: raw[at + 48]) != nil && summary.add(record.id)
                }
            }
            guard valid else { return nil }
            done += n
        }
        guard let countBytes = try take(8), number(countBytes) == count, let stored = try take(32) else { return nil }
        mac.update(countBytes)
        guard mac.finalize() == stored else { return nil }
        return IndexCacheFile(covered: covered, packs: packs, table: IndexTable(fd: fd, path: path, start: start, summary: summary))
    }

    /// Writes the cache durably: the header, then the records `body` adds (sorted; of equal ids the first is kept).
    /// Returns it ready for lookups, from what was written, over the file written (not reopened by path).
    @discardableResult
    static func write(path: String, key: MasterKey, covered: [BlobID], packs: [BlobID], expected: Int,
                      body: (inout IndexTableWriter) throws -> Void) throws -> IndexCacheFile {
        let file = try AtomicFileWriter(path)
        var mac = Blake2bHasher(key: macKey(key))
        func append(_ bytes: UnsafeRawBufferPointer) throws {
            mac.update(bytes)
            try file.append(bytes)
        }
        func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        var header = Self.magic
        for list in [covered, packs] {
            header += littleEndian(UInt32(list.count))
            for id in list { header += id.bytes }
        }
        try header.withUnsafeBytes { try append($0) }
        let start = header.count
        var writer = IndexTableWriter(expected: expected) { try append($0) }
        try body(&writer)
        try writer.flush()
        try littleEndian(UInt64(writer.summary.count)).withUnsafeBytes { try append($0) }
        try mac.finalize().withUnsafeBytes { try file.append($0) }
        let fd = try file.commitOpeningForReading()
        return IndexCacheFile(covered: covered, packs: packs, table: IndexTable(fd: fd, path: path, start: start, summary: writer.summary))
    }
}

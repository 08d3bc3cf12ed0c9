import Foundation
import KuraSystem

/// Index records sorted by id in a file, read with `pread(2)`: the on-disk layers of a `MasterIndex`. In memory it
/// keeps only the first 8 bytes of every 64th id and a Bloom filter of 10 bits a record, under 1.5 bytes a record
/// (the in-memory table costs 64–72), so a lookup of an id the table lacks usually reads nothing and one it holds
/// reads one block of 64 records (3,200 bytes). Mapping the file instead would count every page touched in the
/// process's resident memory.
///
/// Read-only once made, so any number of threads may look ids up at once.
final class IndexTable: @unchecked Sendable {
    static let recordBytes = 50
    static let blockRecords = 64

    private let fd: Int32
    private let path: String
    private let start: Int
    let count: Int
    private let directory: [UInt64]
    private let bloom: IndexBloom

    /// `fd` is the table's from now on and closed with it.
    init(fd: Int32, path: String, start: Int, summary: IndexTableSummary) {
        self.fd = fd
        self.path = path
        self.start = start
        count = summary.count
        directory = summary.directory
        bloom = summary.bloom
    }

    deinit { Posix.close(fd) }

    /// A table in a file of its own in `directory`, unlinked as soon as it is made (so a killed process leaves
    /// nothing behind), holding the records `body` adds in order.
    static func temporary(in directory: String, expected: Int, body: (inout IndexTableWriter) throws -> Void) throws -> IndexTable {
        let path = directory + "/index-spill-" + Posix.randomHex(8)
        let fd = try Posix.open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        try? Posix.unlink(path)
        do {
            var writer = IndexTableWriter(expected: expected) { try Posix.writeFully(fd, $0, path: path) }
            try body(&writer)
            try writer.flush()
            return IndexTable(fd: fd, path: path, start: 0, summary: writer.summary)
        } catch {
            Posix.close(fd)
            throw error
        }
    }

    /// The record for `id`; nil if there is none, or if the file cannot be read (the blob is then stored
    /// again, or reported missing, never taken from the wrong place).
    func lookup(_ id: BlobID) -> IndexRecord? {
        guard count > 0, bloom.mayContain(id) else { return nil }
        let key = id.leadingBytes
        // Blocks whose first id starts below the key, then those starting with it: the records with the
        // key's leading bytes begin in the last of the first and may run through the second.
        let below = directory.partitionIndex { $0 >= key }
        let through = directory.partitionIndex { $0 > key }
        let firstBlock = max(0, below - 1)
        let endBlock = max(firstBlock + 1, through)
        let first = firstBlock * Self.blockRecords
        let end = min(count, endBlock * Self.blockRecords)
        return withUnsafeTemporaryAllocation(byteCount: (end - first) * Self.recordBytes, alignment: 8) { buffer in
            guard (try? Posix.preadFully(fd, into: buffer, offset: start + first * Self.recordBytes, path: path)) != nil else { return nil }
            var low = 0, high = end - first
            while low < high {
                let middle = (low + high) / 2
                let record = IndexRecord.decode(UnsafeRawBufferPointer(rebasing: buffer[(middle * Self.recordBytes)...]))
                if record.id == id { return record }
                if record.id < id { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// Reads the records in order, a megabyte at a time.
    struct Cursor {
        private let table: IndexTable
        private var next = 0
        private var buffer: [UInt8] = []
        private var bufferStart = 0
        private var bufferCount = 0
        private static let batch = (1 << 20) / IndexTable.recordBytes

        init(_ table: IndexTable) { self.table = table }

        mutating func read() throws -> IndexRecord? {
            guard next < table.count else { return nil }
            if next >= bufferStart + bufferCount {
                bufferStart = next
                bufferCount = min(Self.batch, table.count - next)
                if buffer.count < bufferCount * IndexTable.recordBytes {
                    buffer = [UInt8](repeating: 0, count: Self.batch * IndexTable.recordBytes)
                }
                try buffer.withUnsafeMutableBytes {
                    try Posix.preadFully(table.fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<(bufferCount * IndexTable.recordBytes)]),
                                         offset: table.start + next * IndexTable.recordBytes, path: table.path)
                }
            }
            let at = (next - bufferStart) * IndexTable.recordBytes
            next += 1
            return buffer.withUnsafeBytes { IndexRecord.decode(UnsafeRawBufferPointer(rebasing: $0[at...])) }
        }
    }
}

/// What a table keeps in memory, gathered as its records are written or read in order.
struct IndexTableSummary {
    private(set) var count = 0
    private(set) var directory: [UInt64] = []
    private(set) var bloom: IndexBloom
    private(set) var last: BlobID?

    /// `expected`: how many records at most will be added (sizes the filter).
    init(expected: Int) { bloom = IndexBloom(expected: expected) }

    /// Adds the next record; false if it does not come after the last (the records must be strictly sorted).
    mutating func add(_ id: BlobID) -> Bool {
        if let last, !(last < id) { return false }
        if count % IndexTable.blockRecords == 0 { directory.append(id.leadingBytes) }
        bloom.insert(id)
        count += 1
        last = id
        return true
    }
}

/// A Bloom filter over blob ids, 10 bits an id and 7 probes (about 1 % false positives). Ids are keyed hashes,
/// so their words are already uniform: two of them make the probes, each mapped onto the bits by the high word
/// of a product (a division per probe was most of a lookup).
struct IndexBloom {
    private var words: [UInt64]
    private static let probes: UInt64 = 7

    init(expected: Int) { words = [UInt64](repeating: 0, count: max(1, (expected * 10 + 63) / 64)) }

    mutating func insert(_ id: BlobID) {
        let bits = UInt64(words.count * 64), step = id.w2 | 1
        var h = id.w1
        for _ in 0..<Self.probes {
            let bit = h.multipliedFullWidth(by: bits).high
            words[Int(bit / 64)] |= 1 << (bit % 64)
            h &+= step
        }
    }

    func mayContain(_ id: BlobID) -> Bool {
        let bits = UInt64(words.count * 64), step = id.w2 | 1
        var h = id.w1
        for _ in 0..<Self.probes {
            let bit = h.multipliedFullWidth(by: bits).high
            if words[Int(bit / 64)] & (1 << (bit % 64)) == 0 { return false }
            h &+= step
        }
        return true
    }
}

/// Writes records, strictly sorted, through `sink` a megabyte at a time, and gathers the table's summary.
struct IndexTableWriter {
    private(set) var summary: IndexTableSummary
    private var buffer: [UInt8] = []
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    init(expected: Int, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        summary = IndexTableSummary(expected: expected)
        self.sink = sink
        buffer.reserveCapacity(1 << 20)
    }

    /// Adds `record` unless its id equals the last one's (the first of equal ids stays).
    mutating func add(_ record: IndexRecord) throws {
        if summary.last == record.id { return }
        precondition(summary.add(record.id), "index records written out of order")
        record.encode(into: &buffer)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension IndexRecord {
    /// `id (32) · pack number · offset · length · raw length (4 each, little-endian) · type · flags`: 50 bytes.
    func encode(into out: inout [UInt8]) {
        id.withBytes { out.append(contentsOf: $0) }
        for value in [location.pack, location.offset, location.length, location.rawLength] {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(location.type.rawValue)
        out.append(location.flags)
    }

    /// The record at the start of `bytes` (at least 50 bytes); an unknown type reads as data, which only a
    /// cache that failed its checks could hold.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> IndexRecord {
        func word(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        return IndexRecord(id: BlobID(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<32])),
                           location: IndexLocation(pack: word(32), offset: word(36), length: word(40), rawLength: word(44),
                                                   type: BlobType(rawValue: bytes[48]) ?? .data, flags: bytes[49]))
    }
}

extension Array where Element == UInt64 {
    /// The number of leading elements for which `belongs` is false (the array is partitioned by it).
    func partitionIndex(where belongs: (UInt64) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

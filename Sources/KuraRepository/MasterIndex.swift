import KuraCrypto
import KuraSystem
import KuraStorage

/// Where a blob is: which pack (as a number into `packs`), and its entry there.
public struct IndexLocation: Sendable, BitwiseCopyable {
    var pack: UInt32
    var offset: UInt32
    var length: UInt32
    var rawLength: UInt32
    var type: BlobType
    var flags: UInt8
}

extension BlobType: BitwiseCopyable {}
extension BlobID: BitwiseCopyable {}

/// One blob of the index: its id and where it is (56 bytes).
struct IndexRecord: BitwiseCopyable {
    var id: BlobID
    var location: IndexLocation
}

/// Every blob the index files know. The newest records are in memory: the records one after another (56 bytes
/// each, grown a quarter at a time without a second copy) and an open-addressing table of record numbers (4 bytes a
/// slot, at most half full), about 64–72 bytes a blob. Given a directory to spill to, the index moves them to a
/// sorted `IndexTable` on disk whenever they reach `spillRecords` (a first backup of a million files would
/// otherwise hold them all), and `load(backend:key:cacheDirectory:warn:)` keeps a large index in a cache file
/// (`IndexCacheFile`), so memory does not grow with the number of blobs (issue 16 item 4).
///
/// `@unchecked Sendable`: it is filled on one thread and then only read, by any number of workers;
/// during a backup, `BlobSaver` adds packs and looks blobs up only with its own lock held. A lock
/// here would cost every lookup of a restore.
public final class MasterIndex: @unchecked Sendable {
    private(set) var packs: [BlobID] = []
    private var packNumbers: [BlobID: UInt32] = [:]
    private var records = RecordArray<IndexRecord>()
    /// Linear probing from the id's hash (Swift's seeded hash of all 32 bytes, so index files written
    /// with chosen ids cannot pile them on one slot); 0 is empty, else the record's number + 1.
    private var slots: [UInt32] = []
    /// Index files loaded, by id.
    private(set) var files: [BlobID] = []
    /// Records on disk, oldest first: the cache file's, then those spilled by this process.
    private var tables: [IndexTable] = []
    /// How many of `tables` (the last ones) were spilled by this process.
    private var spilledTables = 0
    /// Where spilled tables are made (unlinked at once); nil keeps every record in memory.
    private var spillDirectory: String?
    /// Records held in memory before they are spilled: about 4.5 MB.
    let spillRecords: Int
    /// Spilled tables merged into one once there are this many, so a lookup reads at most this many.
    static let spilledTablesMerged = 8

    public init() { spillRecords = .max }

    init(spillDirectory: String?, spillRecords: Int = 65_536) {
        self.spillDirectory = spillDirectory
        self.spillRecords = spillRecords
    }

    /// Records in memory and on disk (an id in two layers counts twice).
    public var blobCount: Int { records.count + tables.reduce(0) { $0 + $1.count } }
    /// Records on disk.
    var recordsOnDisk: Int { tables.reduce(0) { $0 + $1.count } }
    var recordsInMemory: Int { records.count }
    public var packCount: Int { packs.count }
    public var packIDs: [BlobID] { packs }

    public func contains(_ id: BlobID) -> Bool { record(of: id) != nil }

    public func add(pack: BlobID, entries: [PackEntry]) {
        let number: UInt32
        if let n = packNumbers[pack] {
            number = n
        } else {
            number = UInt32(packs.count)
            packs.append(pack)
            packNumbers[pack] = number
        }
        for e in entries {
            insert(IndexRecord(id: e.id, location: IndexLocation(pack: number, offset: e.offset, length: e.length,
                                                                   rawLength: e.rawLength, type: e.type, flags: e.flags)))
        }
        if records.count >= spillRecords, spillDirectory != nil {
            do {
                try spill()
            } catch {
                spillDirectory = nil  // a full or read-only disk: the records stay in memory, as before
            }
        }
    }

    public func lookup(_ id: BlobID) -> (pack: BlobID, entry: PackEntry)? {
        guard let record = record(of: id) else { return nil }
        let loc = record.location
        return (packs[Int(loc.pack)], PackEntry(id: id, type: loc.type, flags: loc.flags, offset: loc.offset,
                                                length: loc.length, rawLength: loc.rawLength))
    }

    private func record(of id: BlobID) -> IndexRecord? {
        if let n = recordNumber(of: id) { return records[n] }
        for table in tables.reversed() {
            if let record = table.lookup(id) { return record }
        }
        return nil
    }

    /// Entries grouped by pack, each id once.
    func entriesByPack() throws -> [BlobID: [PackEntry]] {
        try entriesByPack(where: { _ in true })
    }

    /// The entries of the packs in `chosen`, grouped by pack, each id once.
    func entriesByPack(only chosen: Set<BlobID>) throws -> [BlobID: [PackEntry]] {
        try entriesByPack(where: chosen.contains)
    }

    private func entriesByPack(where include: (BlobID) -> Bool) throws -> [BlobID: [PackEntry]] {
        var out: [BlobID: [PackEntry]] = [:]
        try forEachRecord { r in
            let loc = r.location
            guard include(packs[Int(loc.pack)]) else { return }
            out[packs[Int(loc.pack)], default: []].append(PackEntry(id: r.id, type: loc.type, flags: loc.flags, offset: loc.offset,
                                                                   length: loc.length, rawLength: loc.rawLength))
        }
        return out
    }

    /// Every record, each id once (the one a lookup finds): in id order once any are on disk, else as stored
    /// (`check` of a memory-only index need not sort a million records).
    func forEachRecord(_ body: (IndexRecord) throws -> Void) throws {
        if tables.isEmpty {
            try records.withElements { all in for record in all { try body(record) } }
            return
        }
        var merge = try merged(tables: tables, withMemory: true)
        while let record = try merge.next() { try body(record) }
    }

    /// The records of the memory part (if asked) and `tables`, merged in id order; of equal ids the one a lookup
    /// finds comes first: memory, then the newest table.
    private func merged(tables chosen: [IndexTable], withMemory: Bool) throws -> IndexMerge {
        var sources: [() throws -> IndexRecord?] = []
        if withMemory {
            let order = sortedRecordNumbers()
            var next = 0
            sources.append { [self] in
                guard next < order.count else { return nil }
                defer { next += 1 }
                return records[Int(order[next])]
            }
        }
        for table in chosen.reversed() {
            var cursor = IndexTable.Cursor(table)
            sources.append { try cursor.read() }
        }
        return try IndexMerge(sources)
    }

    private func sortedRecordNumbers() -> [UInt32] {
        records.withElements { all in
            (0..<UInt32(all.count)).sorted { all[Int($0)].id < all[Int($1)].id }
        }
    }

    /// Moves the records in memory to a new table on disk, merging the spilled tables into one when there are
    /// `spilledTablesMerged` of them.
    private func spill() throws {
        guard let spillDirectory else { return }
        let table = try IndexTable.temporary(in: spillDirectory, expected: records.count) { writer in
            var merge = try merged(tables: [], withMemory: true)
            while let record = try merge.next() { try writer.add(record) }
        }
        tables.append(table)
        spilledTables += 1
        records = RecordArray()
        slots = []
        if spilledTables >= Self.spilledTablesMerged {
            let spilled = Array(tables.suffix(spilledTables))
            let expected = spilled.reduce(0) { $0 + $1.count }
            let one = try IndexTable.temporary(in: spillDirectory, expected: expected) { writer in
                var merge = try merged(tables: spilled, withMemory: false)
                while let record = try merge.next() { try writer.add(record) }
            }
            tables.removeLast(spilledTables)
            tables.append(one)
            spilledTables = 1
        }
    }

    func appendFile(_ id: BlobID) { files.append(id) }

    /// Takes the cache's packs and records as its own; the index must be empty.
    func adopt(_ cache: IndexCacheFile) {
        precondition(packs.isEmpty && records.count == 0 && tables.isEmpty, "a cache is adopted by an empty index")
        packs = cache.packs
        for (n, pack) in packs.enumerated() { packNumbers[pack] = UInt32(n) }
        tables = [cache.table]
        files = cache.covered
    }

    /// Writes every record, and the index files they came from, to a cache file at `path`, then looks them up there
    /// instead of in memory or in the tables they came from.
    func moveToCache(path: String, key: MasterKey) throws {
        let cache = try IndexCacheFile.write(path: path, key: key, covered: files, packs: packs, expected: blobCount) { writer in
            var merge = try merged(tables: tables, withMemory: true)
            while let record = try merge.next() { try writer.add(record) }
        }
        tables = [cache.table]
        spilledTables = 0
        records = RecordArray()
        slots = []
    }

    /// A copy without the blobs of `gone`, so that nothing deduplicates against a pack that is not there.
    func without(packs gone: Set<BlobID>) throws -> MasterIndex {
        let out = MasterIndex()
        for (pack, entries) in try entriesByPack() where !gone.contains(pack) { out.add(pack: pack, entries: entries) }
        return out
    }

    private func recordNumber(of id: BlobID) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = id.hashValue & mask
        return records.withElements { all in
            slots.withUnsafeBufferPointer { table in
                while true {
                    let slot = table[i]
                    if slot == 0 { return nil }
                    if all[Int(slot) - 1].id == id { return Int(slot) - 1 }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// The first record for an id stays (as index files are read in order); later ones are dropped.
    private func insert(_ record: IndexRecord) {
        if (records.count + 1) * 2 > slots.count { growSlots() }
        let mask = slots.count - 1
        var i = record.id.hashValue & mask
        let stored: Bool = records.withElements { all in
            while true {
                let slot = slots[i]
                if slot == 0 { return false }
                if all[Int(slot) - 1].id == record.id { return true }
                i = (i + 1) & mask
            }
        }
        guard !stored else { return }
        precondition(records.count < Int(UInt32.max - 1), "the in-memory index holds at most 4,294,967,294 blobs")
        records.append(record)
        slots[i] = UInt32(records.count)
    }

    private func growSlots() {
        let size = max(1024, slots.count * 2)
        var table = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        records.withElements { all in
            for (n, r) in all.enumerated() {
                var i = r.id.hashValue & mask
                while table[i] != 0 { i = (i + 1) & mask }
                table[i] = UInt32(n + 1)
            }
        }
        slots = table
    }

    /// Index files that were damaged and skipped, with why.
    public private(set) var damagedFiles: [(id: BlobID, problem: String)] = []
    /// Packs no intact index file covered, whose entries were read from their own headers.
    public private(set) var recoveredPacks: [BlobID] = []
    /// Packs no intact index file covered whose headers could not be read (a write-only key, or a damaged pack).
    public private(set) var unrecoveredPacks: [BlobID] = []

    /// Loads every index file, skipping those that a newer index file says it supersedes. The index is a cache
    /// of what the packs say: an index file that is damaged is reported through `warn` and skipped, and the
    /// packs that no intact index file covers are read from their own headers instead (a full key is needed for
    /// that, since a pack's header is sealed under its pack key).
    static func load(backend: any Backend, key: MasterKey, warn: (String) -> Void = { _ in }) throws -> MasterIndex {
        // Each file's entries go into the index as it is read, so only one decoded file is in memory at a
        // time. A file found superseded only by a later one (prune or repair cut off before deleting
        // what they replaced, a rare state) means reading them all again without it.
        let ids = try backend.ids(.index)
        var index = MasterIndex()
        var failed: [(BlobID, RepositoryError)] = []
        var superseded = Set<BlobID>()
        for id in ids {
            do {
                let file = try IndexFile.read(backend: backend, id: id, key: key)
                superseded.formUnion(file.supersedes)
                guard !superseded.contains(id) else { continue }
                index.files.append(id)
                for (pack, entries) in file.packs { index.add(pack: pack, entries: entries) }
            } catch let error as RepositoryError where error.code == .damaged {
                failed.append((id, error))
            }
        }
        if index.files.contains(where: superseded.contains) {
            index = MasterIndex()
            for id in ids where !superseded.contains(id) && !failed.contains(where: { $0.0 == id }) {
                let file = try IndexFile.read(backend: backend, id: id, key: key)
                index.files.append(id)
                for (pack, entries) in file.packs { index.add(pack: pack, entries: entries) }
            }
        }
        index.damagedFiles = failed.filter { !superseded.contains($0.0) }.map { ($0.0, $0.1.message) }
        guard !index.damagedFiles.isEmpty else { return index }
        let uncovered = Set(try backend.ids(.data)).subtracting(index.packs).sorted()
        if key.kind == .full, let reader = try? PackReader(backend: backend, key: key) {
            for pack in uncovered {
                do {
                    index.add(pack: pack, entries: try reader.entries(of: pack))
                    index.recoveredPacks.append(pack)
                } catch {
                    index.unrecoveredPacks.append(pack)
                }
            }
        } else {
            index.unrecoveredPacks = uncovered
        }
        for (_, problem) in index.damagedFiles {
            warn("\(problem); skipped: the index is rebuilt from the packs with 'kura repair index'")
        }
        if !index.recoveredPacks.isEmpty {
            warn("read the blobs of \(index.recoveredPacks.count) pack\(index.recoveredPacks.count == 1 ? "" : "s") that no intact index file covers from their headers")
        }
        if !index.unrecoveredPacks.isEmpty {
            warn(key.kind == .full
                ? "\(index.unrecoveredPacks.count) pack\(index.unrecoveredPacks.count == 1 ? "" : "s") that no intact index file covers could not be read; their blobs are unavailable"
                : "this key is write-only and cannot read pack headers: the blobs of \(index.unrecoveredPacks.count) pack\(index.unrecoveredPacks.count == 1 ? "" : "s") are not in the index, so a backup may store them again (duplicates, not damage); run 'kura repair index' with a full key")
        }
        return index
    }
}

/// `REPO/index/ID`: `"KURAIX01" || nonce || XChaCha20-Poly1305(index key, body)`, associated
/// data "kura index"; the name is the BLAKE2b-256 of the file.
package struct IndexFile {
    package static let magic = Array("KURAIX01".utf8)
    package static let associatedData = Array("kura index".utf8)

    var supersedes: [BlobID] = []
    var packs: [(BlobID, [PackEntry])] = []

    func encode(key: MasterKey) throws -> [UInt8] {
        var body = ByteWriter()
        body.u32(1)
        body.u32(UInt32(supersedes.count))
        for id in supersedes { body.id(id) }
        body.u32(UInt32(packs.count))
        for (pack, entries) in packs {
            body.id(pack)
            body.raw(PackFormat.encodeEntries(entries))
        }
        return Self.magic + (try AEAD.seal(body.bytes, key: key.indexKey, associatedData: Self.associatedData))
    }

    static func decode(_ bytes: [UInt8], key: MasterKey) throws -> IndexFile {
        guard bytes.count > magic.count, Array(bytes[..<magic.count]) == magic else {
            throw RepositoryError(.damaged, "not a kura index file")
        }
        let body: [UInt8]
        do {
            body = try AEAD.open(Array(bytes[magic.count...]), key: key.indexKey, associatedData: associatedData)
        } catch {
            throw RepositoryError(.damaged, "index file fails authentication")
        }
        var r = ByteReader(body)
        guard try r.u32() == 1 else { throw RepositoryError(.damaged, "unknown index version") }
        var file = IndexFile()
        for _ in 0..<(try r.u32()) { file.supersedes.append(try r.id()) }
        let packCount = try r.u32()
        for _ in 0..<packCount {
            let pack = try r.id()
            let count = Int(try r.u32())
            let rest = Array(try r.take(count * PackEntry.encodedSize))
            var withCount = ByteWriter()
            withCount.u32(UInt32(count))
            withCount.raw(rest)
            file.packs.append((pack, try PackFormat.decodeEntries(withCount.bytes)))
        }
        return file
    }

    static func read(backend: any Backend, id: BlobID, key: MasterKey) throws -> IndexFile {
        let bytes = try backend.load(.index(id))
        guard BlobID.ofFile(bytes) == id else { throw RepositoryError(.damaged, "index file index/\(id) is damaged: it does not match its name") }
        do {
            return try decode(bytes, key: key)
        } catch let error as RepositoryError {
            throw RepositoryError(.damaged, "index file index/\(id) is damaged: \(error.message)")
        }
    }

    /// Writes the file durably and returns its id.
    func write(backend: any Backend, key: MasterKey) throws -> BlobID {
        let bytes = try encode(key: key)
        let id = BlobID.ofFile(bytes)
        try backend.save(.index(id), bytes)
        return id
    }
}

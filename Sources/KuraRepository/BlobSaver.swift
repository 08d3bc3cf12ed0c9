import Foundation
import KuraCompression
import KuraCrypto
import KuraSystem
import KuraStorage

/// Turns plaintext into stored blobs, in a pipeline that keeps every core busy: a producer
/// thread reads and chunks the stream; workers hash each chunk (keyed BLAKE2b-256), skip what the
/// repository already holds and compress the rest, chunk by chunk on every core; the caller's
/// thread takes them back in order; a serial writer queue seals them, appends them to packs,
/// hashes the packs and makes them durable. Packs are closed at the configured size; an index file
/// is written for every 32 packs (sooner for packs of many small blobs) and at the end, before any snapshot refers to them. Memory is
/// bounded by a fixed number of chunk slots in flight.
///
/// `@unchecked Sendable`: workers and `packQueue` touch only `pending`, `index`, `unindexedPacks`,
/// `stats` and `writerError`, always with `lock` held; `writer`, `plannedPackSize` and
/// `writerHoldsBlobs` belong to the caller's thread alone, and a `PackWriter` handed to `packQueue`
/// is used only there from then on.
public final class BlobSaver: @unchecked Sendable {
    public struct Statistics: Sendable {
        public var blobsNew = 0
        public var bytesNew: Int64 = 0
        public var bytesStored: Int64 = 0
    }

    private let repository: Repository
    private let index: MasterIndex
    let chunker: Chunker
    private let compressors: ObjectPool<ZstdCompressor>
    /// The pack being filled; created and sized on the caller's thread, written on `packQueue`.
    private var writer: PackWriter?
    private var plannedPackSize = 0
    /// Whether any blob was queued for the open pack (an empty one is abandoned, not written).
    private var writerHoldsBlobs = false
    /// Every blob this session queued and not yet in `index`, so it is never stored twice. A committed pack's
    /// blobs leave it as they join the index (both under `lock`), so it does not hold a second copy of every new
    /// id: at one chunk per file that was 40-60 bytes per file of a tree's backup (issue 16 item 4).
    private var pending = Set<BlobID>()
    private var unindexedPacks: [(BlobID, [PackEntry])] = []
    private var unindexedBlobs = 0
    private var stats = Statistics()
    private var writerError: Error?
    /// Guards `pending`, `index`, `unindexedPacks`, `stats` and `writerError` between the caller, the workers and `packQueue`.
    private let lock = NSLock()
    private let packQueue = DispatchQueue(label: "kura.pack-writer")
    /// Batches handed to `packQueue` and not yet written.
    private let inFlight = DispatchSemaphore(value: 2)
    /// Sealed packs being committed at once (`Backend.concurrentUploads`): each holds its bytes until
    /// sent, so this also bounds the memory an object store's uploads take.
    private let uploadSlots: DispatchSemaphore
    private let uploads = DispatchGroup()
    private let uploadQueue = DispatchQueue(label: "kura.pack-upload", attributes: .concurrent)
    private let concurrentUploads: Int

    /// Packs listed by one index file written during the run. Packs not yet in an index file are sent
    /// again after a kill, so `kura copy` (which resumes) writes index files more often.
    public var packsPerIndexFile = 32
    /// An index file is also written once the packs not yet in one hold this many blobs: packs of small
    /// files hold ~12,000 blobs each, and 32 of them made index files of up to 30 MB, encoded three times over
    /// in memory, beside every entry kept for it (a million-file backup peaked 140 MB higher).
    public var blobsPerIndexFile = 65_536

    /// `backup --dry-run`: chunks are cut, hashed and counted as new or known, but nothing is compressed,
    /// sealed or written (no pack, no index file); `bytesStored` stays 0.
    public var dryRun = false

    /// Streams shorter than this are chunked on the caller's thread.
    static let streamThreshold = 8 << 20
    /// Chunks in flight between the producer and the pack writer, each in a reusable slot.
    private lazy var slots = ChunkSlotPool(capacity: max(6, 3 * ProcessInfo.processInfo.activeProcessorCount),
                                           maxChunk: chunker.maxSize)

    public init(repository: Repository, index: MasterIndex) throws {
        self.repository = repository
        self.index = index
        chunker = try Chunker(parameters: repository.config.chunker, gearSeed: repository.key.gearSeed)
        let level = repository.config.compression.level
        compressors = ObjectPool { try ZstdCompressor(level: level) }
        concurrentUploads = max(1, repository.backend.concurrentUploads)
        uploadSlots = DispatchSemaphore(value: concurrentUploads)
    }

    /// Blobs queued whose pack is not yet committed and indexed.
    var pendingCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return pending.count
    }

    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// Whether the repository (or this session) already stores `id`.
    public func has(_ id: BlobID) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return pending.contains(id) || index.contains(id)
    }

    /// Records that this session stores `id`; false if it already was.
    private func claim(_ id: BlobID) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !index.contains(id) && pending.insert(id).inserted
    }

    /// Chunks everything `read` yields and stores it; returns the chunk ids in order and the byte
    /// count. A producer thread reads and cuts chunks into reusable slots; each chunk is hashed and,
    /// unless already stored, compressed by a worker as soon as it is cut (no batch waits for its
    /// slowest chunk), and a chunk already stored gives its slot back at once; the caller takes the
    /// chunks back in stream order and queues the new ones for the pack writer, which seals them in
    /// place. The slots bound the memory in flight.
    public func saveStream(read: (UnsafeMutableRawBufferPointer) throws -> Int, expectedSize: Int? = nil,
                           progress: ((Int) -> Void)? = nil) throws -> (ids: [BlobID], bytes: Int64) {
        if let expectedSize, expectedSize < Self.streamThreshold { return try saveSmall(read: read, expectedSize: expectedSize, progress: progress) }
        return try withoutActuallyEscaping(read) { read in
            let slots = self.slots
            slots.reopen()
            let reorder = InOrderResults<PreparedChunk>()
            let workers = DispatchGroup()
            let chunker = self.chunker
            let producer = startDedicatedThread(name: "kura.chunker") {
                var sequence = 0
                var slot = slots.take()
                defer { if let slot { slots.give(slot) } }
                do {
                    let ended = try Self.cutStream(read: read, chunker: chunker, into: &slot, slots: slots) { full in
                        let number = sequence
                        sequence += 1
                        DispatchQueue.global().async(group: workers) {
                            self.prepare(full)
                            // A chunk already stored frees its slot now, not when its turn comes:
                            // one slow chunk (compressed, or hashed on a busy core) would otherwise
                            // hold the duplicates behind it, and the producer would wait for slots.
                            if full.isStored && full.error == nil {
                                let known = PreparedChunk.stored(id: full.id, length: full.length)
                                slots.give(full)
                                reorder.finish(number, .success(known))
                            } else {
                                reorder.finish(number, .success(.new(full)))
                            }
                        }
                    }
                    if ended { reorder.end(count: sequence) }
                } catch {
                    reorder.fail(error)
                }
            }
            defer {
                slots.cancel()
                producer.wait()
                workers.wait()
                for case .new(let slot) in reorder.drain() { slots.give(slot) }
                Posix.returnFreedMemory()
            }
            var ids: [BlobID] = []
            var total: Int64 = 0
            var sequence = 0
            while let chunk = try reorder.take(sequence) {
                sequence += 1
                let (id, length): (BlobID, Int)
                switch chunk {
                case let .stored(storedID, storedLength):
                    (id, length) = (storedID, storedLength)
                case let .new(slot):
                    (id, length) = (slot.id, slot.length)
                    try store(slot)
                }
                ids.append(id)
                total += Int64(length)
                progress?(length)
            }
            return (ids, total)
        }
    }

    /// A chunk as a worker leaves it: already in the repository (its slot is back in the pool), or
    /// in its slot, compressed and waiting for the pack writer (or carrying its error).
    private enum PreparedChunk {
        case stored(id: BlobID, length: Int)
        case new(ChunkSlot)
    }

    /// Bytes asked of `read` at a time. The chunk's slot is filled this much at a time while the
    /// chunker looks for its end, so what was read past a cut (copied to the next slot) averages
    /// half of it.
    static let readStep = 128 << 10

    /// The producer: reads the stream straight into slots, in `readStep` pieces, and hands each
    /// slot on (`ship`) as soon as the chunker has found its chunk's end; the bytes read past that
    /// end move to the next slot. No chunk is copied whole. `slot` is the slot being filled (nil
    /// once the pool is cancelled); at return it holds an unused one or nil. False: the pool was
    /// cancelled before the end of the stream.
    static func cutStream(read: (UnsafeMutableRawBufferPointer) throws -> Int, chunker: Chunker,
                          into slot: inout ChunkSlot?, slots: ChunkSlotPool, ship: (ChunkSlot) -> Void) throws -> Bool {
        var filled = 0
        var atEnd = false
        var scan = Chunker.Scan()
        while let current = slot {
            let cut = chunker.cut(UnsafeRawBufferPointer(rebasing: current.plaintext[..<filled]), atEnd: atEnd, scan: &scan)
            guard let cut else {
                let room = UnsafeMutableRawBufferPointer(rebasing: current.plaintext[filled..<min(filled + readStep, current.plaintext.count)])
                let n = try read(room)
                if n == 0 { atEnd = true } else { filled += n }
                continue
            }
            if cut == 0 { return true }
            current.length = cut
            // Shipped before the next slot is taken, so a worker has it even while the pool is
            // empty. Workers read only the chunk, not the bytes past it, and only this thread takes
            // slots, so those bytes are still there to move even if `current` is already back
            // and comes out of the pool as `next` (copyMemory is a memmove).
            ship(current)
            slot = slots.take()
            if let next = slot, filled > cut {
                next.plaintext.baseAddress!.copyMemory(from: current.plaintext.baseAddress! + cut, byteCount: filled - cut)
            }
            filled -= cut
            scan = Chunker.Scan()
        }
        return false
    }

    /// On a worker: hashes the slot's chunk and, unless it is already stored, compresses it into the
    /// slot's output (raw when zstd does not shrink it).
    private func prepare(_ slot: ChunkSlot) {
        slot.id = repository.key.blobID(of: slot.chunk)
        if has(slot.id) {
            slot.isStored = true
            return
        }
        if dryRun { return }
        do {
            let room = slot.compressionRoom
            let n = try compressors.with { try $0.compress(slot.chunk, into: room) }
            if n < slot.length {
                slot.isCompressed = true
                slot.payloadLength = n
            } else {
                room.copyMemory(from: slot.chunk)
                slot.payloadLength = slot.length
            }
        } catch {
            slot.error = error
        }
    }

    /// On the caller's thread, in stream order: a new chunk goes to the open pack (sealed in place
    /// and written on `packQueue`, which then frees the slot); a duplicate frees it at once.
    private func store(_ slot: ChunkSlot) throws {
        if let error = slot.error {
            slots.give(slot)
            throw error
        }
        do { try rethrowWriterError() } catch { slots.give(slot); throw error }
        guard !slot.isStored, claim(slot.id) else {
            slots.give(slot)
            return
        }
        if dryRun {
            countDryRun(rawLength: slot.length)
            slots.give(slot)
            return
        }
        let writer: PackWriter
        do { writer = try currentWriter() } catch { slots.give(slot); throw error }
        plannedPackSize += slot.sealedLength
        writerHoldsBlobs = true
        lock.lock()
        stats.blobsNew += 1
        stats.bytesNew += Int64(slot.length)
        stats.bytesStored += Int64(slot.sealedLength)
        lock.unlock()
        let slots = self.slots
        packQueue.async { [self] in
            defer { slots.give(slot) }
            guard !hasWriterError else { return }
            do {
                let box = UnsafeMutableRawBufferPointer(rebasing: slot.output[..<slot.sealedLength])
                try writer.key.withUnsafeBytes { k in try slot.id.withBytes { ad in try AEAD.sealInPlace(box, key: k, associatedData: ad) } }
                try writer.append(id: slot.id, type: .data, compressed: slot.isCompressed, rawLength: slot.length, sealed: slot.sealed)
            } catch {
                recordWriterError(error)
            }
        }
        if plannedPackSize >= repository.config.packSize { finishPack() }
    }

    /// A small file is chunked on the caller's thread: a producer thread would cost more than it saves.
    private func saveSmall(read: (UnsafeMutableRawBufferPointer) throws -> Int, expectedSize: Int,
                           progress: ((Int) -> Void)?) throws -> (ids: [BlobID], bytes: Int64) {
        var stream = ChunkStream(chunker: chunker, expectedSize: expectedSize)
        defer { stream.deallocate() }
        var chunks: [[UInt8]] = []
        var size = 0
        while let chunk = try stream.next(read: read) {
            chunks.append(chunk)
            size += chunk.count
        }
        let ids = try save(chunks, type: .data)
        progress?(size)
        return (ids, Int64(size))
    }

    /// Stores a directory listing and returns its id.
    public func saveTree(_ tree: Tree) throws -> BlobID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try save([Array(try encoder.encode(tree))], type: .tree)[0]
    }

    /// Stores plaintext blobs and returns their ids in order. One parallel pass hashes each chunk
    /// and, unless the repository already holds it, compresses and encrypts it, so the cores never
    /// wait for each other between hashing and compressing.
    public func save(_ chunks: [[UInt8]], type: BlobType) throws -> [BlobID] {
        let count = chunks.count
        guard count > 0 else { return [] }
        try rethrowWriterError()
        let key = repository.key
        if dryRun {
            let ids = chunks.map { chunk in chunk.withUnsafeBytes { key.blobID(of: $0) } }
            for (id, chunk) in zip(ids, chunks) where !index.contains(id) && claim(id) { countDryRun(rawLength: chunk.count) }
            return ids
        }
        let writer = try currentWriter()
        let packKey = writer.key
        var results = [(id: BlobID, sealed: [UInt8], compressed: Bool)](repeating: (.zero, [], false), count: count)
        try results.withUnsafeMutableBufferPointer { out in
            try parallelFor(count) { i in
                let id = chunks[i].withUnsafeBytes { key.blobID(of: $0) }
                out[i].id = id
                if !self.has(id) {
                    (out[i].sealed, out[i].compressed) = try self.compressAndSeal(chunks[i], id: id, packKey: packKey)
                }
            }
        }
        var blobs: [(id: BlobID, compressed: Bool, rawLength: Int, sealed: [UInt8])] = []
        for i in 0..<count where !results[i].sealed.isEmpty && claim(results[i].id) {
            blobs.append((results[i].id, results[i].compressed, chunks[i].count, results[i].sealed))
            plannedPackSize += results[i].sealed.count
            lock.lock()
            stats.blobsNew += 1
            stats.bytesNew += Int64(chunks[i].count)
            stats.bytesStored += Int64(results[i].sealed.count)
            lock.unlock()
        }
        let ids = results.map(\.id)
        guard !blobs.isEmpty else { return ids }
        writerHoldsBlobs = true
        inFlight.wait()
        packQueue.async { [self, blobs] in
            defer { inFlight.signal() }
            guard !hasWriterError else { return }
            do {
                for blob in blobs {
                    try writer.append(id: blob.id, type: type, compressed: blob.compressed, rawLength: blob.rawLength, sealed: blob.sealed)
                }
            } catch {
                recordWriterError(error)
            }
        }
        if plannedPackSize >= repository.config.packSize { finishPack() }
        return ids
    }

    private func countDryRun(rawLength: Int) {
        lock.lock()
        stats.blobsNew += 1
        stats.bytesNew += Int64(rawLength)
        lock.unlock()
    }

    /// zstd when it shrinks the chunk, raw otherwise; then `nonce || XChaCha20-Poly1305` with the id as associated data.
    /// Buffers are not zero-filled first: every byte is written before it is read.
    private func compressAndSeal(_ chunk: [UInt8], id: BlobID, packKey: [UInt8]) throws -> ([UInt8], Bool) {
        let compressed = try [UInt8](unsafeUninitializedCapacity: ZstdCompressor.bound(chunk.count)) { buffer, written in
            written = try compressors.with { zstd in
                try chunk.withUnsafeBytes { try zstd.compress($0, into: UnsafeMutableRawBufferPointer(buffer)) }
            }
        }
        let useCompressed = compressed.count < chunk.count
        let payload = useCompressed ? compressed : chunk
        let nonce = RandomBytes.generate(AEAD.nonceBytes)
        let sealed = try [UInt8](unsafeUninitializedCapacity: AEAD.nonceBytes + payload.count + AEAD.tagBytes) { buffer, written in
            let out = UnsafeMutableRawBufferPointer(buffer)
            nonce.withUnsafeBytes { out.copyMemory(from: $0) }
            try packKey.withUnsafeBytes { k in try nonce.withUnsafeBytes { n in try id.withBytes { ad in
                try payload.withUnsafeBytes {
                    try AEAD.seal($0, key: k, nonce: n, associatedData: ad, into: UnsafeMutableRawBufferPointer(rebasing: out[AEAD.nonceBytes...]))
                }
            } } }
            written = buffer.count
        }
        return (sealed, useCompressed)
    }

    private func currentWriter() throws -> PackWriter {
        if let writer { return writer }
        let w = try PackWriter(backend: repository.backend, publicKey: repository.key.publicKey)
        writer = w
        plannedPackSize = w.size
        return w
    }

    /// Queues the open pack's closing: header, trailer, fsync, rename, then its entries join the index.
    private func finishPack() {
        guard let writer else { return }
        self.writer = nil
        plannedPackSize = 0
        let empty = !writerHoldsBlobs
        writerHoldsBlobs = false
        packQueue.async { [self] in
            guard !hasWriterError, !empty else { writer.abandon(); return }
            let before = writer.size
            let id: BlobID
            do {
                id = try writer.seal()
            } catch {
                writer.abandon()
                recordWriterError(error)
                return
            }
            guard concurrentUploads > 1 else { commit(writer, id, sealedBytes: writer.size - before); return }
            // An object store takes each pack in one slow request: several go at once, each on its own thread.
            uploadSlots.wait()
            uploads.enter()
            uploadQueue.async { [self] in
                defer { uploadSlots.signal(); uploads.leave() }
                commit(writer, id, sealedBytes: writer.size - before)
            }
        }
    }

    /// Commits a sealed pack; then its entries join the index (and an index file is written when due).
    private func commit(_ writer: PackWriter, _ id: BlobID, sealedBytes: Int) {
        guard !hasWriterError else { writer.abandon(); return }
        do {
            try writer.commit(id)
            lock.lock()
            stats.bytesStored += Int64(sealedBytes)
            index.add(pack: id, entries: writer.entries)
            for entry in writer.entries { pending.remove(entry.id) }
            unindexedPacks.append((id, writer.entries))
            unindexedBlobs += writer.entries.count
            let due = unindexedPacks.count >= packsPerIndexFile || unindexedBlobs >= blobsPerIndexFile
            lock.unlock()
            if due { try writeIndex() }
        } catch {
            writer.abandon()
            recordWriterError(error)
        }
    }

    /// Runs on `packQueue`, an upload thread, or after both drained; two at once write disjoint index files.
    private func writeIndex() throws {
        lock.lock()
        let packs = unindexedPacks
        unindexedPacks.removeAll()
        unindexedBlobs = 0
        lock.unlock()
        guard !packs.isEmpty else { return }
        _ = try IndexFile(packs: packs).write(backend: repository.backend, key: repository.key)
    }

    private var hasWriterError: Bool {
        lock.lock()
        defer { lock.unlock() }
        return writerError != nil
    }

    private func recordWriterError(_ error: Error) {
        lock.lock()
        if writerError == nil { writerError = error }
        lock.unlock()
    }

    private func rethrowWriterError() throws {
        lock.lock()
        let error = writerError
        lock.unlock()
        if let error { throw error }
    }

    /// Closes the open pack and writes the index for everything saved: after this, a snapshot may refer to it.
    public func flush() throws {
        finishPack()
        packQueue.sync {}
        uploads.wait()
        try rethrowWriterError()
        try writeIndex()
    }

    /// Drops the pack being written (its blobs were never indexed).
    public func abandon() {
        let writer = self.writer
        self.writer = nil
        packQueue.sync { writer?.abandon() }
        uploads.wait()
    }
}

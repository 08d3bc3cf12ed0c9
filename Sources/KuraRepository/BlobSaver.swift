import Foundation
import KuraCompression
import KuraCrypto

/// Turns plaintext into stored blobs, in a pipeline that keeps every core busy: a producer
/// thread reads and chunks the stream; the caller's thread hashes each chunk (keyed BLAKE2b-256),
/// skips what the index already holds, and compresses and encrypts the rest on every core; a
/// serial writer queue appends them to packs, hashes the packs and makes them durable. Packs are
/// closed at the configured size; an index file is written for every 32 packs and at the end,
/// before any snapshot refers to them. Memory is bounded by a few batches in flight.
public final class BlobSaver {
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
    /// Every blob this session stored or queued, so it is never stored twice.
    private var pending = Set<BlobID>()
    private var unindexedPacks: [(BlobID, [PackEntry])] = []
    private var stats = Statistics()
    private var writerError: Error?
    /// Guards `index`, `unindexedPacks`, `stats.bytesStored` and `writerError` between the caller and `packQueue`.
    private let lock = NSLock()
    private let packQueue = DispatchQueue(label: "kura.pack-writer")
    /// Batches handed to `packQueue` and not yet written.
    private let inFlight = DispatchSemaphore(value: 2)

    /// Chunks are handed to the workers in batches of about this many bytes.
    static let batchBytes = 8 << 20

    public init(repository: Repository, index: MasterIndex) throws {
        self.repository = repository
        self.index = index
        chunker = try Chunker(parameters: repository.config.chunker, gearSeed: repository.key.gearSeed)
        let level = repository.config.compression.level
        compressors = ObjectPool { try ZstdCompressor(level: level) }
    }

    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// Whether the repository (or this session) already stores `id`.
    public func has(_ id: BlobID) -> Bool {
        if pending.contains(id) { return true }
        lock.lock()
        defer { lock.unlock() }
        return index.contains(id)
    }

    private enum Handed {
        case batch([[UInt8]], Int)
        case end
        case failed(Error)
    }

    /// Chunks everything `read` yields and stores it; returns the chunk ids in order and the byte
    /// count. `read` runs on a producer thread while earlier chunks are hashed, compressed and written.
    public func saveStream(read: (UnsafeMutableRawBufferPointer) throws -> Int, expectedSize: Int? = nil,
                           progress: ((Int) -> Void)? = nil) throws -> (ids: [BlobID], bytes: Int64) {
        if let expectedSize, expectedSize < Self.batchBytes { return try saveSmall(read: read, expectedSize: expectedSize, progress: progress) }
        return try withoutActuallyEscaping(read) { read in
            let handoff = BatchHandoff<Handed>(capacity: 2)
            let producer = DispatchGroup()
            let chunker = self.chunker
            DispatchQueue.global().async(group: producer) {
                var stream = ChunkStream(chunker: chunker)
                defer { stream.deallocate() }
                var batch: [[UInt8]] = []
                var size = 0
                do {
                    while let chunk = try stream.next(read: read) {
                        batch.append(chunk)
                        size += chunk.count
                        if size >= Self.batchBytes {
                            guard handoff.put(.batch(batch, size)) else { return }
                            batch = []
                            size = 0
                        }
                    }
                    if handoff.put(.batch(batch, size)) { handoff.put(.end) }
                } catch {
                    handoff.put(.failed(error))
                }
            }
            defer {
                handoff.cancel()
                producer.wait()
            }
            var ids: [BlobID] = []
            var total: Int64 = 0
            while true {
                switch handoff.take() {
                case .batch(let chunks, let size):
                    ids += try save(chunks, type: .data)
                    total += Int64(size)
                    progress?(size)
                case .end:
                    return (ids, total)
                case .failed(let error):
                    throw error
                }
            }
        }
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
        let writer = try currentWriter()
        let packKey = writer.key
        var results = [(id: BlobID, sealed: [UInt8], compressed: Bool)](repeating: (.zero, [], false), count: count)
        try results.withUnsafeMutableBufferPointer { out in
            try parallelFor(count) { i in
                let id = chunks[i].withUnsafeBytes { key.blobID(of: $0) }
                out[i].id = id
                // `pending` is not mutated during this pass, so reading it from several threads is safe.
                if !self.has(id) {
                    (out[i].sealed, out[i].compressed) = try self.compressAndSeal(chunks[i], id: id, packKey: packKey)
                }
            }
        }
        var blobs: [(id: BlobID, compressed: Bool, rawLength: Int, sealed: [UInt8])] = []
        for i in 0..<count where !results[i].sealed.isEmpty && pending.insert(results[i].id).inserted {
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
        packQueue.async { [self] in
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
        let w = try PackWriter(layout: repository.layout, publicKey: repository.key.publicKey)
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
            do {
                let before = writer.size
                let id = try writer.finish()
                lock.lock()
                stats.bytesStored += Int64(writer.size - before)
                index.add(pack: id, entries: writer.entries)
                unindexedPacks.append((id, writer.entries))
                let due = unindexedPacks.count >= 32
                lock.unlock()
                if due { try writeIndex() }
            } catch {
                writer.abandon()
                recordWriterError(error)
            }
        }
    }

    /// Runs on `packQueue` (or after it drained).
    private func writeIndex() throws {
        lock.lock()
        let packs = unindexedPacks
        unindexedPacks.removeAll()
        lock.unlock()
        guard !packs.isEmpty else { return }
        _ = try IndexFile(packs: packs).write(layout: repository.layout, key: repository.key)
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
        try rethrowWriterError()
        try writeIndex()
    }

    /// Drops the pack being written (its blobs were never indexed).
    public func abandon() {
        let writer = self.writer
        self.writer = nil
        packQueue.sync { writer?.abandon() }
    }
}

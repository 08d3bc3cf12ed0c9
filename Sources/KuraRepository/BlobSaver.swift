import Foundation
import KuraCompression
import KuraCrypto

/// Turns plaintext into stored blobs: hashes each chunk (keyed BLAKE2b-256), skips what the
/// index already holds, compresses and encrypts the rest on every core, and appends them to
/// packs. Packs are closed at the configured size; an index file is written for every 32 packs
/// and at the end, before any snapshot refers to them.
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
    private var writer: PackWriter?
    private var pending = Set<BlobID>()
    private var unindexedPacks: [(BlobID, [PackEntry])] = []
    public private(set) var statistics = Statistics()

    /// Chunks are handed to the workers in batches of about this many bytes.
    static let batchBytes = 16 << 20

    public init(repository: Repository, index: MasterIndex) throws {
        self.repository = repository
        self.index = index
        chunker = try Chunker(parameters: repository.config.chunker, gearSeed: repository.key.gearSeed)
        let level = repository.config.compression.level
        compressors = ObjectPool { try ZstdCompressor(level: level) }
    }

    /// Whether the repository (or this session) already stores `id`.
    public func has(_ id: BlobID) -> Bool { index.contains(id) || pending.contains(id) }

    /// Chunks everything `read` yields and stores it; returns the chunk ids in order and the byte count.
    public func saveStream(read: (UnsafeMutableRawBufferPointer) throws -> Int,
                           progress: ((Int) -> Void)? = nil) throws -> (ids: [BlobID], bytes: Int64) {
        var stream = ChunkStream(chunker: chunker)
        defer { stream.deallocate() }
        var ids: [BlobID] = []
        var total: Int64 = 0
        var batch: [[UInt8]] = []
        var batchSize = 0
        while let chunk = try stream.next(read: read) {
            batch.append(chunk)
            batchSize += chunk.count
            if batchSize >= Self.batchBytes {
                ids += try save(batch, type: .data)
                total += Int64(batchSize)
                progress?(batchSize)
                batch.removeAll(keepingCapacity: true)
                batchSize = 0
            }
        }
        ids += try save(batch, type: .data)
        total += Int64(batchSize)
        progress?(batchSize)
        return (ids, total)
    }

    /// Stores a directory listing and returns its id.
    public func saveTree(_ tree: Tree) throws -> BlobID {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try save([Array(try encoder.encode(tree))], type: .tree)[0]
    }

    /// Stores plaintext blobs and returns their ids in order.
    public func save(_ chunks: [[UInt8]], type: BlobType) throws -> [BlobID] {
        let count = chunks.count
        guard count > 0 else { return [] }
        let key = repository.key
        var ids = [BlobID](repeating: .zero, count: count)
        try ids.withUnsafeMutableBufferPointer { out in
            try parallelFor(count) { i in out[i] = chunks[i].withUnsafeBytes { key.blobID(of: $0) } }
        }

        var newIndices: [Int] = []
        var seen = Set<BlobID>()
        for i in 0..<count where !has(ids[i]) && seen.insert(ids[i]).inserted { newIndices.append(i) }
        guard !newIndices.isEmpty else { return ids }

        let writer = try currentWriter()
        let packKey = writer.key
        var sealed = [(bytes: [UInt8], compressed: Bool)](repeating: ([], false), count: newIndices.count)
        try sealed.withUnsafeMutableBufferPointer { out in
            try parallelFor(newIndices.count) { j in
                let i = newIndices[j]
                out[j] = try self.compressAndSeal(chunks[i], id: ids[i], packKey: packKey)
            }
        }
        for (j, i) in newIndices.enumerated() {
            try writer.append(id: ids[i], type: type, compressed: sealed[j].compressed, rawLength: chunks[i].count, sealed: sealed[j].bytes)
            pending.insert(ids[i])
            statistics.blobsNew += 1
            statistics.bytesNew += Int64(chunks[i].count)
            statistics.bytesStored += Int64(sealed[j].bytes.count)
        }
        if writer.size >= repository.config.packSize { try finishPack() }
        return ids
    }

    /// zstd when it shrinks the chunk, raw otherwise; then `nonce || XChaCha20-Poly1305` with the id as associated data.
    private func compressAndSeal(_ chunk: [UInt8], id: BlobID, packKey: [UInt8]) throws -> ([UInt8], Bool) {
        var compressed = [UInt8](repeating: 0, count: ZstdCompressor.bound(chunk.count))
        let compressedSize = try compressors.with { zstd in
            try chunk.withUnsafeBytes { i in try compressed.withUnsafeMutableBytes { try zstd.compress(i, into: $0) } }
        }
        let useCompressed = compressedSize < chunk.count
        let payloadSize = useCompressed ? compressedSize : chunk.count
        var out = [UInt8](repeating: 0, count: AEAD.nonceBytes + payloadSize + AEAD.tagBytes)
        let nonce = RandomBytes.generate(AEAD.nonceBytes)
        try out.withUnsafeMutableBytes { o in
            nonce.withUnsafeBytes { o.copyMemory(from: $0) }
            let body = UnsafeMutableRawBufferPointer(rebasing: o[AEAD.nonceBytes...])
            try packKey.withUnsafeBytes { k in try nonce.withUnsafeBytes { n in try id.withBytes { ad in
                if useCompressed {
                    try compressed.withUnsafeBytes {
                        try AEAD.seal(UnsafeRawBufferPointer(rebasing: $0[..<compressedSize]), key: k, nonce: n, associatedData: ad, into: body)
                    }
                } else {
                    try chunk.withUnsafeBytes { try AEAD.seal($0, key: k, nonce: n, associatedData: ad, into: body) }
                }
            } } }
        }
        return (out, useCompressed)
    }

    private func currentWriter() throws -> PackWriter {
        if let writer { return writer }
        let w = try PackWriter(layout: repository.layout, publicKey: repository.key.publicKey)
        writer = w
        return w
    }

    private func finishPack() throws {
        guard let writer else { return }
        self.writer = nil
        let before = writer.size
        let id = try writer.finish()
        statistics.bytesStored += Int64(writer.size - before)
        index.add(pack: id, entries: writer.entries)
        for e in writer.entries { pending.remove(e.id) }
        unindexedPacks.append((id, writer.entries))
        if unindexedPacks.count >= 32 { try writeIndex() }
    }

    private func writeIndex() throws {
        guard !unindexedPacks.isEmpty else { return }
        _ = try IndexFile(packs: unindexedPacks).write(layout: repository.layout, key: repository.key)
        unindexedPacks.removeAll()
    }

    /// Closes the open pack and writes the index for everything saved: after this, a snapshot may refer to it.
    public func flush() throws {
        try finishPack()
        try writeIndex()
    }

    /// Drops the pack being written (its blobs were never indexed).
    public func abandon() {
        writer?.abandon()
        writer = nil
    }
}

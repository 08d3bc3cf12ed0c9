import Testing
@testable import KuraRepository
import KuraCrypto

/// The streaming pipeline of `BlobSaver.saveStream`: chunks cut by a producer, hashed and compressed
/// out of order by workers, stored in order.
@Suite struct BlobSaverTests {
    /// A `read` callback over `data` in uneven pieces, failing with `failure` once `failAt` bytes were given.
    final class Reader {
        let data: [UInt8]
        var offset = 0
        let failAt: Int?
        init(_ data: [UInt8], failAt: Int? = nil) { self.data = data; self.failAt = failAt }
        func read(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if let failAt, offset >= failAt { throw RepositoryError(.io, "read: Input/output error (simulated)") }
            let n = min(buffer.count, data.count - offset, 300_001)
            data[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            offset += n
            return n
        }
    }

    /// What a plain, single-threaded chunk-and-hash of `data` gives.
    func expectedIDs(_ data: [UInt8], repository: Repository) throws -> [BlobID] {
        let chunker = try Chunker(parameters: repository.config.chunker, gearSeed: repository.key.gearSeed)
        var stream = ChunkStream(chunker: chunker)
        defer { stream.deallocate() }
        let reader = Reader(data)
        var ids: [BlobID] = []
        while let chunk = try stream.next(read: reader.read) { ids.append(chunk.withUnsafeBytes { repository.key.blobID(of: $0) }) }
        return ids
    }

    @Test func idsComeBackInStreamOrderAndEveryBlobLoads() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        // Half random, half repeated text: chunks of very different cost finish out of order.
        let text = Array(String(repeating: "山田太郎,yamada@example.jp,03-1234-5678\n", count: 150_000).utf8)
        let data = RandomBytes.generate(9 << 20) + text + RandomBytes.generate(3 << 20)
        let saver = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids, bytes) = try saver.saveStream(read: Reader(data).read)
        try saver.flush()
        #expect(bytes == Int64(data.count))
        #expect(ids == (try expectedIDs(data, repository: repo)))
        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        var restored: [UInt8] = []
        try loader.stream(ids) { restored.append(contentsOf: $0) }
        #expect(restored == data)
    }

    @Test func aRepeatedChunkIsStoredOnce() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        // Eight copies: the chunker falls back into step with the first copy's cut points after a
        // seam or two, so most chunks repeat, and repeats of one chunk are in flight at once.
        let block = RandomBytes.generate(6 << 20)
        let data = Array([[UInt8]](repeating: block, count: 8).joined())
        let saver = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids, _) = try saver.saveStream(read: Reader(data).read)
        try saver.flush()
        #expect(ids == (try expectedIDs(data, repository: repo)))
        #expect(Set(ids).count * 2 < ids.count)
        #expect(saver.statistics.blobsNew == Set(ids).count)
        #expect(try repo.loadIndex().blobCount == Set(ids).count)
    }

    /// `pending` gives up a blob's id once its pack is committed and indexed (issue 16 item 4: it used to keep every
    /// new id of the session, a second copy of the index's growth); the same saver still stores nothing twice.
    @Test func committedBlobsLeavePendingAndAreStillStoredOnce() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let data = RandomBytes.generate(40 << 20)
        let saver = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids, _) = try saver.saveStream(read: Reader(data).read)
        try saver.flush()
        #expect(saver.pendingCount == 0)
        let stored = saver.statistics
        #expect(stored.blobsNew == Set(ids).count)
        // Again through the same saver (big stream and small-file paths): every id is known from the index now.
        let (again, _) = try saver.saveStream(read: Reader(data).read)
        let small = Array(data[..<(64 << 10)])
        _ = try saver.saveStream(read: Reader(small).read, expectedSize: small.count)
        _ = try saver.saveStream(read: Reader(small).read, expectedSize: small.count)
        try saver.flush()
        #expect(again == ids)
        #expect(saver.statistics.blobsNew == stored.blobsNew + 1)
        #expect(saver.pendingCount == 0)
        #expect(try repo.loadIndex().blobCount == Set(ids).count + 1)
    }

    /// Packs of many small blobs reach an index file by their blob count, not only every 32 packs: a
    /// million small files made index files of 30 MB, each encoded three times in memory.
    @Test func packsOfManySmallBlobsAreIndexedByBlobCount() throws {
        let scratch = try ScratchRepository(packSize: 1 << 20)
        let repo = scratch.repository
        let saver = try BlobSaver(repository: repo, index: try repo.loadIndex())
        saver.blobsPerIndexFile = 100
        var stored: [BlobID] = []
        for _ in 0..<900 {
            let file = RandomBytes.generate(3000)
            stored += try saver.saveStream(read: Reader(file).read, expectedSize: file.count).ids
        }
        try saver.flush()
        let packs = try repo.backend.ids(.data)
        let indexFiles = try repo.backend.ids(.index)
        #expect(packs.count >= 2)
        // Each pack holds ~340 blobs, over the 100 that make an index file due: one file per pack.
        #expect(indexFiles.count == packs.count)
        let index = try repo.loadIndex()
        #expect(index.blobCount == 900 && stored.allSatisfy(index.contains))
    }

    @Test func aStreamTheRepositoryHoldsStoresOnlyWhatChanged() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let day1 = RandomBytes.generate(24 << 20)
        let first = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids1, _) = try first.saveStream(read: Reader(day1).read)
        try first.flush()
        // The next day: the same bytes but for one edit in the middle. Known chunks give their
        // slots back on the workers, out of order; the ids must still come back in stream order.
        var day2 = day1
        day2.replaceSubrange((12 << 20)..<((12 << 20) + 100), with: RandomBytes.generate(100))
        let second = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids2, bytes2) = try second.saveStream(read: Reader(day2).read)
        try second.flush()
        #expect(bytes2 == Int64(day2.count))
        #expect(ids2 == (try expectedIDs(day2, repository: repo)))
        let changed = Set(ids2).subtracting(ids1)
        #expect(!changed.isEmpty && changed.count <= 2)
        #expect(second.statistics.blobsNew == changed.count)
        // The same stream a third time stores nothing at all.
        let third = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let (ids3, _) = try third.saveStream(read: Reader(day2).read)
        try third.flush()
        #expect(ids3 == ids2)
        #expect(third.statistics.blobsNew == 0)
        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        var restored: [UInt8] = []
        try loader.stream(ids3) { restored.append(contentsOf: $0) }
        #expect(restored == day2)
    }

    @Test func aReadErrorMidStreamLeavesTheSaverUsable() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let saver = try BlobSaver(repository: repo, index: try repo.loadIndex())
        let data = RandomBytes.generate(40 << 20)
        #expect(throws: RepositoryError.self) { try saver.saveStream(read: Reader(data, failAt: 20 << 20).read) }
        // Every slot must be back in the pool, or this second stream would wait forever.
        let other = RandomBytes.generate(30 << 20)
        let (ids, bytes) = try saver.saveStream(read: Reader(other).read)
        try saver.flush()
        #expect(bytes == Int64(other.count))
        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        var restored: [UInt8] = []
        try loader.stream(ids) { restored.append(contentsOf: $0) }
        #expect(restored == other)
    }
}

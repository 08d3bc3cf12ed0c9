import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto
import KuraStorage

/// The index on disk: records spilled from memory into sorted tables, and the cache file a large index is kept in
/// between runs, which must be believed only when its key and every byte check out.
@Suite struct IndexCacheTests {
    private func randomID() -> BlobID { BlobID(RandomBytes.generate(32)) }

    private func entry(_ id: BlobID, offset: UInt32) -> PackEntry {
        PackEntry(id: id, type: offset % 3 == 0 ? .tree : .data, flags: UInt8(offset % 2), offset: offset,
                  length: 100 + offset, rawLength: 200 + offset)
    }

    /// Writes `files` index files of `packs` packs of `blobs` blobs each; returns where each blob is.
    private func writeIndexFiles(_ repo: Repository, files: Int, packs: Int, blobs: Int) throws -> [BlobID: (pack: BlobID, entry: PackEntry)] {
        var expected: [BlobID: (BlobID, PackEntry)] = [:]
        for _ in 0..<files {
            var file = IndexFile()
            for _ in 0..<packs {
                let pack = randomID()
                let entries = (0..<blobs).map { entry(randomID(), offset: UInt32($0 + 1)) }
                file.packs.append((pack, entries))
                for e in entries { expected[e.id] = (pack, e) }
            }
            _ = try file.write(backend: repo.backend, key: repo.key)
        }
        return expected
    }

    private func expectFindsExactly(_ index: MasterIndex, _ expected: [BlobID: (pack: BlobID, entry: PackEntry)]) throws {
        for (id, place) in expected {
            let found = try #require(index.lookup(id))
            #expect(found.pack == place.pack && found.entry == place.entry)
        }
        for _ in 0..<2000 { #expect(!index.contains(randomID())) }
        let byPack = try index.entriesByPack()
        #expect(byPack.values.reduce(0) { $0 + $1.count } == expected.count)
        for (pack, entries) in byPack {
            #expect(entries.allSatisfy { expected[$0.id]?.pack == pack && expected[$0.id]?.entry == $0 })
        }
    }

    @Test func recordsSpilledToDiskAreAllFoundAndMemoryStaysBounded() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let index = MasterIndex(spillDirectory: directory, spillRecords: 100)
        var expected: [BlobID: (pack: BlobID, entry: PackEntry)] = [:]
        for _ in 0..<130 {
            let pack = randomID()
            let entries = (0..<23).map { entry(randomID(), offset: UInt32($0 + 1)) }
            index.add(pack: pack, entries: entries)
            for e in entries { expected[e.id] = (pack, e) }
            #expect(index.recordsInMemory < 100)
        }
        #expect(index.recordsOnDisk >= 130 * 23 - 100)
        try expectFindsExactly(index, expected)
        // Spilled tables are unlinked at once: nothing is left in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func aLargeIndexIsCachedAndTheCacheIsUsedNextTime() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let directory = scratch.root + "/cache/kura/repo"
        let policy = IndexCachePolicy(spillRecords: 200, rewriteAfter: 300)
        var expected = try writeIndexFiles(repo, files: 6, packs: 3, blobs: 40)
        let first = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        #expect(first.recordsInMemory == 0 && first.recordsOnDisk == 720)
        try expectFindsExactly(first, expected)
        let cachePath = directory + "/" + IndexCacheFile.fileName
        let cache = try #require(IndexCacheFile.open(path: cachePath, key: repo.key))
        #expect(Set(cache.covered) == Set(try repo.backend.ids(.index)))

        // A night's few new blobs are read into memory beside the cache, which is not written again.
        let before = try FileManager.default.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date
        expected.merge(try writeIndexFiles(repo, files: 1, packs: 1, blobs: 10)) { $1 }
        let second = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        #expect(second.recordsInMemory == 10 && second.recordsOnDisk == 720)
        try expectFindsExactly(second, expected)
        #expect(try FileManager.default.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date == before)
        #expect(second.files.count == 7)

        // Many new ones are merged into it.
        expected.merge(try writeIndexFiles(repo, files: 2, packs: 2, blobs: 100)) { $1 }
        let third = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        #expect(third.recordsInMemory == 0 && third.recordsOnDisk == 1130)
        try expectFindsExactly(third, expected)
    }

    @Test func aCacheThatFailsAnyCheckIsMadeAgain() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let directory = scratch.root + "/cache/kura/repo"
        let cachePath = directory + "/" + IndexCacheFile.fileName
        let policy = IndexCachePolicy(spillRecords: 1000, rewriteAfter: 100)
        let expected = try writeIndexFiles(repo, files: 2, packs: 2, blobs: 50)
        _ = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        let good = try Data(contentsOf: URL(fileURLWithPath: cachePath))

        // Every single flipped bit, cut end or added byte is refused (checked on a sample of positions).
        var damaged: [Data] = [good.prefix(good.count - 1), good + Data([0])]
        for at in stride(from: 0, to: good.count, by: 97) {
            var copy = good
            copy[at] ^= 0x10
            damaged.append(copy)
        }
        for bytes in damaged {
            try bytes.write(to: URL(fileURLWithPath: cachePath))
            #expect(IndexCacheFile.open(path: cachePath, key: repo.key) == nil)
            let index = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
            try expectFindsExactly(index, expected)
            #expect(IndexCacheFile.open(path: cachePath, key: repo.key) != nil)
        }

        // A cache made under another repository's key is not believed, even with the right records.
        let other = try ScratchRepository()
        try IndexCacheFile.write(path: cachePath, key: other.repository.key, covered: try repo.backend.ids(.index), packs: [],
                                 expected: 0) { _ in }
        #expect(IndexCacheFile.open(path: cachePath, key: repo.key) == nil)
        try expectFindsExactly(try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy), expected)
    }

    @Test func aCacheNamingAnIndexFileNoLongerThereIsMadeAgain() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let directory = scratch.root + "/cache/kura/repo"
        let policy = IndexCachePolicy(spillRecords: 1000, rewriteAfter: 10)
        var expected = try writeIndexFiles(repo, files: 3, packs: 1, blobs: 30)
        _ = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        // As prune does: one file's packs are rewritten into a new index file superseding it, which is then removed.
        let gone = try repo.backend.ids(.index)[0]
        let old = try IndexFile.read(backend: repo.backend, id: gone, key: repo.key)
        for (_, entries) in old.packs { for e in entries { expected.removeValue(forKey: e.id) } }
        let pack = randomID()
        let kept = (0..<5).map { entry(randomID(), offset: UInt32($0 + 1)) }
        for e in kept { expected[e.id] = (pack, e) }
        _ = try IndexFile(supersedes: [gone], packs: [(pack, kept)]).write(backend: repo.backend, key: repo.key)
        try repo.backend.remove(.index(gone))
        let index = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
        try expectFindsExactly(index, expected)
        #expect(!index.files.contains(gone))
    }

    @Test func aSupersededIndexFileIsIgnoredInEitherOrderWithACache() throws {
        for _ in 0..<8 {
            let scratch = try ScratchRepository()
            let repo = scratch.repository
            let directory = scratch.root + "/cache/kura/repo"
            let policy = IndexCachePolicy(spillRecords: 1, rewriteAfter: 1)
            let kept = randomID(), pruned = randomID(), packA = randomID(), packB = randomID()
            let old = try IndexFile(supersedes: [], packs: [(packA, [entry(kept, offset: 1)]), (packB, [entry(pruned, offset: 2)])])
                .write(backend: repo.backend, key: repo.key)
            _ = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
            let new = try IndexFile(supersedes: [old], packs: [(packA, [entry(kept, offset: 1)])])
                .write(backend: repo.backend, key: repo.key)
            let index = try MasterIndex.load(backend: repo.backend, key: repo.key, cacheDirectory: directory, policy: policy)
            #expect(index.files == [new])
            #expect(index.contains(kept) && !index.contains(pruned))
        }
    }

    @Test func blobIDOrderIsTheOrderOfTheirBytes() {
        for _ in 0..<2000 {
            let a = randomID(), b = randomID()
            #expect((a < b) == (a.hex < b.hex))
            #expect(!(a < a))
        }
    }
}

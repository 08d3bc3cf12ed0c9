import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto
import KuraStorage

/// The in-memory index: its own open-addressing table over packed records, and loading index files one
/// at a time (a superseded file must not count, whether it is read before or after the file replacing it).
@Suite struct MasterIndexTests {
    private func randomID() -> BlobID { BlobID(RandomBytes.generate(32)) }

    private func entry(_ id: BlobID, offset: UInt32) -> PackEntry {
        PackEntry(id: id, type: .data, flags: 1, offset: offset, length: 100 + offset, rawLength: 200 + offset)
    }

    @Test func everyBlobIsFoundAcrossGrowthAndTheFirstPlaceWins() throws {
        let index = MasterIndex()
        var expected: [BlobID: (pack: BlobID, offset: UInt32)] = [:]
        for p in 0..<700 {
            let pack = randomID()
            let entries = (0..<16).map { entry(randomID(), offset: UInt32(p * 16 + $0)) }
            index.add(pack: pack, entries: entries)
            for e in entries { expected[e.id] = (pack, e.offset) }
        }
        // The same blobs again in another pack: the first place stays, nothing is counted twice.
        let again = Array(expected.keys.prefix(50))
        index.add(pack: randomID(), entries: again.map { entry($0, offset: 9) })
        #expect(index.blobCount == 700 * 16)
        for (id, place) in expected {
            let found = try #require(index.lookup(id))
            #expect(found.pack == place.pack && found.entry.offset == place.offset
                    && found.entry.length == 100 + place.offset && found.entry.rawLength == 200 + place.offset)
        }
        for _ in 0..<1000 { #expect(!index.contains(randomID())) }
        let byPack = try index.entriesByPack()
        #expect(byPack.values.reduce(0) { $0 + $1.count } == 700 * 16)
        #expect(byPack.values.allSatisfy { $0.count == 16 })
    }

    @Test func aSupersededIndexFileIsIgnoredInEitherOrder() throws {
        // Names are hashes of sealed bytes, so which file is listed first varies: over eight pairs both
        // orders come up but for a 1-in-128 chance.
        for _ in 0..<8 {
            let scratch = try ScratchRepository()
            let repo = scratch.repository
            let kept = randomID(), pruned = randomID(), packA = randomID(), packB = randomID()
            let old = try IndexFile(supersedes: [], packs: [(packA, [entry(kept, offset: 1)]), (packB, [entry(pruned, offset: 2)])])
                .write(backend: repo.backend, key: repo.key)
            let new = try IndexFile(supersedes: [old], packs: [(packA, [entry(kept, offset: 1)])])
                .write(backend: repo.backend, key: repo.key)
            let index = try MasterIndex.load(backend: repo.backend, key: repo.key)
            #expect(index.files == [new])
            #expect(index.contains(kept) && !index.contains(pruned))
            #expect(index.packIDs == [packA])
        }
    }
}

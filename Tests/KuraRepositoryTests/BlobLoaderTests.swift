import Foundation
import Testing
@testable import KuraRepository
import KuraStorage
import KuraCrypto

/// `BlobLoader.stream` over a repository of many small packs: more packs than a reader keeps open
/// (`PackFiles.limit`), read in order and out of order, with the read-ahead advice on the way.
@Suite struct BlobLoaderTests {
    /// A repository whose packs close at 1 MiB, holding `data` as one stream; returns its chunk ids.
    func manyPacks(_ data: [UInt8]) throws -> (ScratchRepository, Repository, [BlobID]) {
        let scratch = try ScratchRepository(packSize: 1 << 20)
        let repo = try Repository.open(at: scratch.path, password: "correct horse")
        #expect(repo.config.packSize == 1 << 20)
        return (scratch, repo, try repo.saveAsStream(data))
    }

    @Test func streamsBackEveryChunkFromMorePacksThanAReaderKeepsOpen() throws {
        let data = RandomBytes.generate(28 << 20)
        let (scratch, repo, ids) = try manyPacks(data)
        _ = scratch
        let index = try repo.loadIndex()
        let packs = Set(ids.compactMap { index.lookup($0)?.0 })
        #expect(packs.count > PackFiles.limit)
        let loader = try BlobLoader(repository: repo, index: index)
        var restored: [UInt8] = []
        try loader.stream(ids) { restored.append(contentsOf: $0) }
        #expect(restored == data)
        // Out of order: every reader cycles through its descriptors many times.
        let shuffled = ids.shuffled()
        var pieces: [BlobID: [UInt8]] = [:]
        var position = 0
        try loader.stream(shuffled) { chunk in
            pieces[shuffled[position]] = Array(chunk)
            position += 1
        }
        #expect(Array(ids.map { pieces[$0]! }.joined()) == data)
    }

    @Test func aMissingPackIsReportedAsDamage() throws {
        let data = RandomBytes.generate(12 << 20)
        let (scratch, repo, ids) = try manyPacks(data)
        _ = scratch
        let index = try repo.loadIndex()
        let (pack, _) = try #require(index.lookup(ids[ids.count / 2]))
        try FileManager.default.removeItem(atPath: (repo.backend as! LocalBackend).path(.pack(pack)))
        let loader = try BlobLoader(repository: repo, index: index)
        let error = try #require(throws: RepositoryError.self) { try loader.stream(ids) { _ in } }
        #expect(error.code == .damaged)
        #expect(error.message.contains("is missing"))
    }
}

import Foundation
import Testing
@testable import KuraRepository
import KuraStorage

/// The local snapshot cache (`SnapshotCache`) gives the answers reading every snapshot object gives, and never
/// stands in for an object that was removed, replaced or damaged, nor trusts a cache file that does not check.
@Suite struct SnapshotCacheTests {
    /// A repository with a backup and `count` more snapshots of it on varied hosts, tags, times and origins.
    private func history(_ scratch: ScratchRepository, count: Int) throws -> [BlobID] {
        let repo = scratch.repository
        let source = try scratch.makeSource(["日本語/メモ.txt": Array("こんにちは\n".utf8), "b": [1, 2, 3]])
        let made = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [source])
        var ids = [made.id]
        for n in 0..<count {
            var s = made.snapshot
            s.time = Date(timeIntervalSinceReferenceDate: 800_000_000.123456 + Double(n) * 3600.5)
            s.hostname = n % 2 == 0 ? "db\(n % 3)" : "ホスト\(n)"
            s.tags = n % 3 == 0 ? [] : ["daily", "週次"]
            s.summary = n % 4 == 0 ? nil : s.summary
            s.copiedFrom = n % 5 == 0 ? Snapshot.Origin(repository: String(repeating: "a", count: 64), snapshot: "b\(n)") : nil
            ids.append(try repo.saveSnapshot(s))
        }
        return ids
    }

    /// Each entry as its id and the snapshot's JSON: equal when every field is.
    private func canonical(_ entries: [SnapshotEntry]) throws -> [String] {
        try entries.map { $0.id.hex + " " + String(decoding: try Snapshot.encoder.encode($0.snapshot), as: UTF8.self) }
    }

    private func cache(_ scratch: ScratchRepository) -> SnapshotCache { SnapshotCache(path: scratch.root + "/cache/snapshots") }

    @Test func cachedListingEqualsReadingEveryObject() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        _ = try history(scratch, count: 12)
        let cache = cache(scratch)
        let uncached = try repo.readSnapshots()
        let filling = try repo.readSnapshots(cache: cache)
        #expect(FileManager.default.fileExists(atPath: cache.path))
        #expect(cache.load(key: repo.key).count == 13)
        let cached = try repo.using(cache).readSnapshots()
        #expect(uncached.entries.count == 13)
        #expect(try canonical(filling.entries) == canonical(uncached.entries))
        #expect(try canonical(cached.entries) == canonical(uncached.entries))
        #expect(cached.damaged.isEmpty)
        // Served from the file: its entries decode to the same snapshots.
        let stored = cache.load(key: repo.key)
        #expect(try canonical(uncached.entries.map { SnapshotEntry(id: $0.id, snapshot: stored[$0.id]!.snapshot) })
            == canonical(uncached.entries))
    }

    @Test func removedReplacedOrNewSnapshotsAreReadFromTheRepository() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let ids = try history(scratch, count: 4)
        let cache = cache(scratch)
        _ = try repo.readSnapshots(cache: cache)
        let backend = repo.backend

        // Removed behind the cache's back: gone from the listing and from the cache.
        try backend.remove(.snapshot(ids[1]))
        // Replaced by other bytes under the same name: read, found damaged, reported, not cached.
        var bytes = try backend.load(.snapshot(ids[2]))
        bytes.append(0)
        try backend.save(.snapshot(ids[2]), bytes)
        // A byte changed in place (same size): re-checked against its name, reported, not taken from the cache.
        var flipped = try backend.load(.snapshot(ids[4]))
        flipped[flipped.count / 2] ^= 0x01
        try backend.save(.snapshot(ids[4]), flipped)
        // Written by another host (a new id): read.
        var other = try repo.loadSnapshot(ids[0])
        other.hostname = "新しいホスト"
        let added = try repo.saveSnapshot(other)

        let listed = try repo.readSnapshots(cache: cache)
        let uncached = try repo.readSnapshots()
        #expect(Set(listed.entries.map(\.id)) == Set([ids[0], ids[3], added]))
        #expect(listed.entries.first { $0.id == added }?.snapshot.hostname == "新しいホスト")
        #expect(Set(listed.damaged.map(\.id)) == Set([ids[2], ids[4]]))
        #expect(listed.damaged.allSatisfy { $0.problem.message.contains("does not match its name") })
        #expect(try canonical(listed.entries) == canonical(uncached.entries))
        let stored = cache.load(key: repo.key)
        #expect(Set(stored.keys) == Set([ids[0], ids[3], added]))

        // Still damaged, still reported, on the next (cached) listing too.
        #expect(Set(try repo.readSnapshots(cache: cache).damaged.map(\.id)) == Set([ids[2], ids[4]]))
    }

    @Test func aDamagedOrForeignCacheFileIsIgnored() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        _ = try history(scratch, count: 3)
        let cache = cache(scratch)
        let expected = try canonical(repo.readSnapshots().entries)
        _ = try repo.readSnapshots(cache: cache)
        let good = try #require(FileManager.default.contents(atPath: cache.path))

        var flipped = [UInt8](good)
        flipped[flipped.count / 2] ^= 0x10
        let other = try ScratchRepository()
        _ = try history(other, count: 3)
        let otherCache = SnapshotCache(path: other.root + "/cache/snapshots")
        _ = try other.repository.readSnapshots(cache: otherCache)
        let foreign = try #require(FileManager.default.contents(atPath: otherCache.path))
        for damaged in [flipped, Array(good.prefix(good.count - 1)), Array("not a cache".utf8), [], [UInt8](foreign)] {
            try Data(damaged).write(to: URL(fileURLWithPath: cache.path))
            #expect(cache.load(key: repo.key).isEmpty)
            let listed = try repo.readSnapshots(cache: cache)
            #expect(try canonical(listed.entries) == expected)
            #expect(listed.damaged.isEmpty)
            // Rewritten whole and good again.
            #expect(cache.load(key: repo.key).count == 4)
        }
    }

    @Test func anUnchangedListingDoesNotRewriteTheCache() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        _ = try history(scratch, count: 2)
        let cache = cache(scratch)
        _ = try repo.readSnapshots(cache: cache)
        let before = try FileManager.default.attributesOfItem(atPath: cache.path)[.systemFileNumber] as? Int
        _ = try repo.readSnapshots(cache: cache)
        let after = try FileManager.default.attributesOfItem(atPath: cache.path)[.systemFileNumber] as? Int
        #expect(before != nil && before == after)
    }
}

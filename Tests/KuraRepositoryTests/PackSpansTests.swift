import Foundation
import Synchronization
import Testing
@testable import KuraRepository
import KuraStorage
import KuraCrypto

/// `BlobLoader.stream` from a backend whose reads are requests (an object store): chunks come back
/// from few large ranged reads made ahead of them, damage is still named per blob, and a short read
/// is reported as the truncation it is.
@Suite struct PackSpansTests {
    /// The repository's local directory, seen as an object store: every read is counted, and the
    /// loader takes the path it takes for S3.
    final class CountingStore: Backend {
        let local: LocalBackend
        let loads = Mutex<[Int]>([])
        init(_ local: LocalBackend) { self.local = local }

        var location: String { local.location }
        var isReadOnly: Bool { local.isReadOnly }
        var readsAreRequests: Bool { true }
        func describe(_ handle: ObjectHandle) -> String { local.describe(handle) }
        func create() throws(StorageError) { try local.create() }
        func save(_ handle: ObjectHandle, _ bytes: [UInt8]) throws(StorageError) { try local.save(handle, bytes) }
        func beginUpload(_ handle: ObjectHandle) throws(StorageError) -> any ObjectUpload { try local.beginUpload(handle) }
        func load(_ handle: ObjectHandle, range: Range<Int64>?) throws(StorageError) -> [UInt8] {
            let bytes = try local.load(handle, range: range)
            if handle.kind == .data { loads.withLock { $0.append(bytes.count) } }
            return bytes
        }
        func stat(_ handle: ObjectHandle) throws(StorageError) -> ObjectInfo? { try local.stat(handle) }
        func list(_ kind: ObjectKind) throws(StorageError) -> [ObjectInfo] { try local.list(kind) }
        func remove(_ handle: ObjectHandle) throws(StorageError) { try local.remove(handle) }
    }

    /// 24 MiB in 1 MiB-average chunks, in 16 MiB packs, opened through a `CountingStore`.
    func stored(_ data: [UInt8]) throws -> (ScratchRepository, Repository, CountingStore, [BlobID]) {
        let scratch = try ScratchRepository()
        let ids = try Repository.open(at: scratch.path, password: "correct horse").saveAsStream(data)
        let store = CountingStore(LocalBackend(root: scratch.path))
        return (scratch, try Repository.open(backend: store, password: "correct horse"), store, ids)
    }

    @Test func chunksComeFromFewLargeReadsMadeAhead() throws {
        let data = RandomBytes.generate(24 << 20)
        let (scratch, repo, store, ids) = try stored(data)
        _ = scratch
        #expect(ids.count >= 12)
        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        store.loads.withLock { $0.removeAll() }
        var restored: [UInt8] = []
        try loader.stream(ids) { restored.append(contentsOf: $0) }
        #expect(restored == data)
        let loads = store.loads.withLock { $0 }
        let large = loads.filter { $0 > 4096 }
        // One read per chunk is what the span path replaces; about 24 MiB / 4 MiB spans is what it costs.
        #expect(large.count <= 24 / 3 + 2, "\(loads)")
        #expect(large.count < ids.count, "\(loads)")
        #expect(large.allSatisfy { $0 <= PackSpans.maximumSpan })
        #expect(large.reduce(0, +) >= data.count)
    }

    @Test func aFlippedByteInAPackNamesTheBlobItHits() throws {
        let data = RandomBytes.generate(12 << 20)
        let (scratch, repo, _, ids) = try stored(data)
        let index = try repo.loadIndex()
        let (pack, entry) = try #require(index.lookup(ids[ids.count / 2]))
        let path = LocalBackend(root: scratch.path).path(.pack(pack))
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try file.seek(toOffset: UInt64(entry.offset) + UInt64(entry.length) / 2)
        let byte = try #require(try file.read(upToCount: 1))
        try file.seek(toOffset: UInt64(entry.offset) + UInt64(entry.length) / 2)
        try file.write(contentsOf: Data([byte[0] ^ 0x01]))
        try file.close()
        let loader = try BlobLoader(repository: repo, index: index)
        var delivered = 0
        let error = try #require(throws: RepositoryError.self) { try loader.stream(ids) { delivered += $0.count } }
        #expect(error.code == .damaged)
        #expect(error.message.contains(entry.id.short) && error.message.contains("fails authentication"), "\(error.message)")
        // Every chunk before the damaged one was delivered.
        #expect(delivered == ids.prefix(ids.count / 2).map { Int(index.lookup($0)!.entry.rawLength) }.reduce(0, +))
    }

    @Test func aTruncatedPackIsReportedAsDamageNotAShortRead() throws {
        let data = RandomBytes.generate(12 << 20)
        let (scratch, repo, _, ids) = try stored(data)
        let index = try repo.loadIndex()
        let (pack, entry) = try #require(index.lookup(ids[ids.count - 1]))
        let path = LocalBackend(root: scratch.path).path(.pack(pack))
        #expect(truncate(path, off_t(entry.offset) + 100) == 0)
        let loader = try BlobLoader(repository: repo, index: index)
        let error = try #require(throws: RepositoryError.self) { try loader.stream(ids) { _ in } }
        #expect(error.code == .damaged)
        #expect(error.message.contains(pack.hex.prefix(8)) || error.message.contains("\(pack)"), "\(error.message)")
    }
}

import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto
import KuraSystem

/// The files cache at many files: a warm cache still skips every unchanged file, is not rewritten when nothing
/// changed, and a damaged cache file means reading again, never an error or a wrong chunk list.
@Suite struct FilesCacheTests {
    private static let files = 3000

    private func tree(_ scratch: ScratchRepository) throws -> String {
        var contents: [String: [UInt8]] = [:]
        for n in 0..<Self.files {
            contents["d\(n % 30)/ファイル\(n)"] = Array("file \(n)\n".utf8) + [UInt8](repeating: UInt8(n % 251), count: n % 200)
        }
        return try scratch.makeSource(contents)
    }

    private func backUp(_ scratch: ScratchRepository, _ source: String, cache: String) throws -> Snapshot.Summary {
        let repo = scratch.repository
        let made = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .load(path: cache), options: .init())
            .backup(paths: [source])
        return try #require(made.snapshot.summary)
    }

    private func inode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
    }

    @Test func aWarmCacheSkipsEveryUnchangedFileAndIsNotRewritten() throws {
        let scratch = try ScratchRepository()
        let source = try tree(scratch)
        let cache = scratch.root + "/cache/files"
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let cold = try backUp(scratch, source, cache: cache)
        #expect(cold.files == Self.files)
        #expect(cold.bytesRead > 0)
        #expect(FilesCache.load(path: cache).count == Self.files)
        let written = try inode(cache)

        let warm = try backUp(scratch, source, cache: cache)
        #expect(warm.files == Self.files)
        #expect(warm.bytesRead == 0)
        #expect(try inode(cache) == written)

        // One file changed: only it is read, and the cache is rewritten with it.
        let changed = source + "/d7/ファイル7"
        try Data("changed, and longer than before\n".utf8).write(to: URL(fileURLWithPath: changed))
        let next = try backUp(scratch, source, cache: cache)
        #expect(next.bytesRead == Int64("changed, and longer than before\n".utf8.count))
        #expect(try inode(cache) != written)
        #expect(try backUp(scratch, source, cache: cache).bytesRead == 0)
    }

    @Test func aDamagedCacheFileIsIgnoredAndEveryFileReadAgain() throws {
        let scratch = try ScratchRepository()
        let source = try tree(scratch)
        let cache = scratch.root + "/cache/files"
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let cold = try backUp(scratch, source, cache: cache)
        let good = try #require(FileManager.default.contents(atPath: cache))
        var flipped = [UInt8](good)
        flipped[flipped.count / 3] ^= 0x01
        for damaged in [flipped, Array(good.prefix(good.count / 2)), Array("{}".utf8)] {
            try Data(damaged).write(to: URL(fileURLWithPath: cache))
            #expect(FilesCache.load(path: cache).count == 0)
            #expect(try backUp(scratch, source, cache: cache).bytesRead == cold.bytesRead)
            #expect(FilesCache.load(path: cache).count == Self.files)
        }
    }

    @Test func theEncodingRoundTripsAndTheOldJSONFileIsTakenOver() throws {
        let entries: [String: FilesCache.Entry] = [
            "/srv/データ/a": .init(size: 5, mtime: -3, ctime: 1_700_000_000_123_456_789, inode: .max, content: [BlobID(w0: 1, w1: 2, w2: 3, w3: 4)]),
            "/srv/empty": .init(size: 0, mtime: 0, ctime: 0, inode: 7, content: []),
        ]
        #expect(try FilesCache.decode(FilesCache.encode(entries)) == entries)

        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try JSONEncoder().encode(entries).write(to: URL(fileURLWithPath: directory + "/files.json"))
        let cache = FilesCache.load(path: directory + "/files")
        #expect(cache.count == 2)
        cache.save()
        #expect(FilesCache.load(path: directory + "/files").count == 2)
        #expect(!FileManager.default.fileExists(atPath: directory + "/files.json"))
    }

    private func id(_ n: Int) -> BlobID { BlobID(Array(repeating: UInt8(n & 0xff), count: 31) + [UInt8(n >> 8 & 0xff)]) }

    /// A later run that visits only some paths keeps the others, whatever their names hold; the file is 0600.
    @Test func namesOfEveryKindReadBackAndUnvisitedEntriesAreKept() throws {
        let scratch = try ScratchRepository()
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let path = scratch.root + "/cache/files"
        let names = ["/srv/plain.txt", "/srv/顧客データ/請求書 2026年.pdf", "/srv/quote\"inside", "/srv/back\\slash",
                     "/srv/new\nline\tand tab", "/srv/control\u{1}\u{1f}\u{7f}", "/srv/emoji 📼", "/srv/empty-file"]
        let first = FilesCache.load(path: path)
        for (n, name) in names.enumerated() {
            first.remember(name, size: UInt64(n * 1000), mtime: -Int64(n), ctime: Int64.max - Int64(n), inode: UInt64.max - UInt64(n),
                           content: name.hasSuffix("empty-file") ? [] : [id(n), id(n + 300)])
        }
        first.save()

        let second = FilesCache.load(path: path)
        #expect(second.count == names.count)
        second.remember(names[0], size: 7, mtime: 8, ctime: 9, inode: 10, content: [id(77)])
        second.save()

        let third = FilesCache.load(path: path)
        #expect(third.count == names.count)
        #expect(third.lookup(names[0], size: 7, mtime: 8, ctime: 9, inode: 10, isStored: { _ in true }) == [id(77)])
        #expect(third.lookup(names[0], size: 0, mtime: 0, ctime: Int64.max, inode: UInt64.max, isStored: { _ in true }) == nil)
        for (n, name) in names.enumerated().dropFirst() {
            let content = third.lookup(name, size: UInt64(n * 1000), mtime: -Int64(n), ctime: Int64.max - Int64(n),
                                       inode: UInt64.max - UInt64(n), isStored: { _ in true })
            #expect(content == (name.hasSuffix("empty-file") ? [] : [id(n), id(n + 300)]), "\(name) was lost")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A large run's entries reach the next file as they are remembered, a megabyte at a time, not at the end.
    @Test func rememberedEntriesGoToTheNextFileAsTheyCome() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        let path = directory + "/files"
        let cache = FilesCache.load(path: path)
        var expected: [String: FilesCache.Entry] = [:]
        for n in 0..<60_000 {
            let entry = FilesCache.Entry(size: UInt64(n), mtime: Int64(n), ctime: Int64(n), inode: UInt64(n), content: [id(n)])
            expected["/data/d\(n % 1000)/f\(n).txt"] = entry
            cache.remember("/data/d\(n % 1000)/f\(n).txt", size: entry.size, mtime: entry.mtime, ctime: entry.ctime,
                           inode: entry.inode, content: entry.content)
        }
        let pending = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("files.tmp-") }
        #expect(pending.count == 1)
        let written = try FileManager.default.attributesOfItem(atPath: directory + "/" + pending[0])[.size] as? Int ?? 0
        #expect(written >= 3 << 20, "only \(written) bytes reached the next file before the save")
        #expect(!FileManager.default.fileExists(atPath: path))
        cache.save()
        #expect(try FilesCache.decode(Posix.readFile(path)) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["files"])
    }

    /// A dry run or a failed backup leaves the old file as it was and no temporary file behind.
    @Test func discardedEntriesLeaveTheOldFile() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        let path = directory + "/files"
        let first = FilesCache.load(path: path)
        first.remember("/srv/a", size: 1, mtime: 1, ctime: 1, inode: 1, content: [id(1)])
        first.save()
        let before = try Posix.readFile(path)
        let second = FilesCache.load(path: path)
        for n in 0..<40_000 { second.remember("/srv/f\(n)", size: 2, mtime: 2, ctime: 2, inode: 2, content: [id(n)]) }
        second.discard()
        #expect(try Posix.readFile(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["files"])
    }

    /// What a killed backup left (a next file untouched for over a day) goes at the next load; a fresh one stays.
    @Test func aNextFileLeftByAKilledBackupIsRemovedADayLater() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = directory + "/files.tmp-0123456789abcdef", fresh = directory + "/files.tmp-fedcba9876543210"
        try Data("half a cache".utf8).write(to: URL(fileURLWithPath: old))
        try Data("a running backup's".utf8).write(to: URL(fileURLWithPath: fresh))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -90_000)], ofItemAtPath: old)
        _ = FilesCache.load(path: directory + "/files")
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: fresh))
    }

    /// A file in the first binary format (count before the entries) is still read.
    @Test func aFileWithTheCountFirstIsStillRead() throws {
        let entry = FilesCache.Entry(size: 5, mtime: 6, ctime: 7, inode: 8, content: [id(9)])
        var w = BinaryWriter()
        w.bytes(Array("KURAFC01".utf8))
        w.integer(1)
        FilesCache.encode("/srv/old", entry, into: &w)
        let bytes = w.out + Blake2b.hash256(w.out)
        #expect(try FilesCache.decode(bytes) == ["/srv/old": entry])
    }

    /// A file whose checksum holds but whose entries do not (a length past the end, a count that does not
    /// match) is no cache at all, not a crash or a wrong entry.
    @Test func entriesThatDoNotFitTheirFileAreRefusedWhateverTheChecksum() throws {
        let good = FilesCache.encode(["/srv/a": FilesCache.Entry(size: 1, mtime: 2, ctime: 3, inode: 4, content: [id(1)])])
        #expect(try FilesCache.decode(good).count == 1)
        func resealed(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var body = Array(good.dropLast(32))
            edit(&body)
            return body + Blake2b.hash256(body)
        }
        let pathTooLong = resealed { $0[8] = 0xff }                     // the path's length, first of the entry
        let idsPastTheEnd = resealed { $0[8 + 8 + 6 + 32] = 2 }        // the id count: two ids, one present
        let countTooHigh = resealed { $0[$0.count - 8] = 2 }            // two entries counted, one there
        let truncated = resealed { $0.removeLast(5) }
        for bytes in [pathTooLong, idsPastTheEnd, countTooHigh, truncated] {
            #expect(FilesCache.entries(of: bytes) == nil)
            #expect(throws: (any Error).self) { try FilesCache.decode(bytes) }
        }
    }

    /// A path remembered twice in one run keeps the later entry.
    @Test func aPathRememberedTwiceKeepsTheLaterEntry() throws {
        let scratch = try ScratchRepository()
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let path = scratch.root + "/cache/files"
        let cache = FilesCache.load(path: path)
        cache.remember("/srv/a", size: 1, mtime: 1, ctime: 1, inode: 1, content: [id(1)])
        cache.remember("/srv/b", size: 2, mtime: 2, ctime: 2, inode: 2, content: [id(2)])
        cache.remember("/srv/a", size: 3, mtime: 3, ctime: 3, inode: 3, content: [id(3), id(4)])
        cache.save()
        let entries = try FilesCache.decode(Posix.readFile(path))
        #expect(entries.count == 2)
        #expect(entries["/srv/a"] == FilesCache.Entry(size: 3, mtime: 3, ctime: 3, inode: 3, content: [id(3), id(4)]))
        #expect(FilesCache.load(path: path).count == 2)
    }
}

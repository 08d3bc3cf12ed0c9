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

    private let names = ["/srv/plain.txt", "/srv/顧客データ/請求書 2026年.pdf", "/srv/quote\"inside", "/srv/back\\slash",
                     "/srv/new\nline\tand tab", "/srv/control\u{1}\u{1f}\u{7f}", "/srv/emoji 📼", "/srv/empty-file"]

    /// A later run that visits only some paths keeps the others, whatever their names hold; the file is 0600.
    @Test func namesOfEveryKindReadBackAndUnvisitedEntriesAreKept() throws {
        let scratch = try ScratchRepository()
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let path = scratch.root + "/cache/files"
        let names = self.names.sorted { FilesCacheWalkOrder.compare(Array($0.utf8), Array($1.utf8)) < 0 }
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
            let name = String(format: "/data/d%03d/f%07d.txt", n / 1000, n)
            expected[name] = entry
            cache.remember(name, size: entry.size, mtime: entry.mtime, ctime: entry.ctime,
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
        for n in 0..<40_000 { second.remember(String(format: "/srv/f%05d", n), size: 2, mtime: 2, ctime: 2, inode: 2, content: [id(n)]) }
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
        FilesCacheEntries.encode("/srv/old", entry, into: &w)
        let bytes = w.out + Blake2b.hash256(w.out)
        #expect(try FilesCache.decode(bytes) == ["/srv/old": entry])
    }

    /// Blocks whose digests chain but whose entries do not fit them (a length past the end, an id count past the
    /// end, two paths out of walk order) end the entries there, and a wrong count or a missing end makes the file
    /// incomplete: never a crash or a wrong entry.
    @Test func blocksWhoseEntriesDoNotFitEndTheEntriesWhateverTheirDigests() throws {
        func entry(_ path: String, _ n: Int) -> [UInt8] {
            var w = BinaryWriter()
            FilesCacheEntries.encode(path, FilesCache.Entry(size: 1, mtime: 2, ctime: 3, inode: 4, content: [id(n)]), into: &w)
            return w.out
        }
        func file(_ blocks: [[UInt8]], count: Int? = nil, end: Bool = true) -> [UInt8] {
            var chain = FilesCacheBlocks()
            var out = FilesCacheBlocks.magic
            for block in blocks { out += block.withUnsafeBytes { chain.block($0) } }
            return end ? out + chain.end(count: count ?? blocks.count) : out
        }
        let a = entry("/srv/a", 1), b = entry("/srv/b", 2)
        #expect(try FilesCache.decode(file([a, b])).count == 2)

        var pathTooLong = a
        pathTooLong[0] = 0xff
        var idsPastTheEnd = a
        idsPastTheEnd[8 + 6 + 32] = 2
        for damaged in [pathTooLong, idsPastTheEnd, b + a, a + a] {
            let reader = try #require(FilesCacheReader(bytes: file([damaged])))
            #expect(reader.current == nil)
            #expect(reader.isDamaged)
        }
        // A second block out of order after a good first: the first block's entry stays, nothing after it.
        let reader = try #require(FilesCacheReader(bytes: file([b, a])))
        #expect(reader.countRemaining() == 1)
        #expect(reader.isDamaged)
        for incomplete in [file([a, b], count: 3), file([a, b], end: false), Array(file([a, b]).dropLast(1))] {
            #expect(throws: (any Error).self) { try FilesCache.decode(incomplete) }
        }
    }

    /// A path remembered out of walk order (here: again) is not remembered; the first entry stays.
    @Test func aPathRememberedOutOfWalkOrderIsNotRemembered() throws {
        let scratch = try ScratchRepository()
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let path = scratch.root + "/cache/files"
        let cache = FilesCache.load(path: path)
        cache.remember("/srv/a", size: 1, mtime: 1, ctime: 1, inode: 1, content: [id(1)])
        cache.remember("/srv/b", size: 2, mtime: 2, ctime: 2, inode: 2, content: [id(2)])
        cache.remember("/srv/a", size: 3, mtime: 3, ctime: 3, inode: 3, content: [id(3), id(4)])
        cache.remember("/srv/b", size: 4, mtime: 4, ctime: 4, inode: 4, content: [id(5)])
        cache.save()
        let entries = try FilesCache.decode(Posix.readFile(path))
        #expect(entries == ["/srv/a": FilesCache.Entry(size: 1, mtime: 1, ctime: 1, inode: 1, content: [id(1)]),
                            "/srv/b": FilesCache.Entry(size: 2, mtime: 2, ctime: 2, inode: 2, content: [id(2)])])
    }

    /// A forged file's paths may hold bytes no real path does: NUL ranks after "/", not with it, so the order
    /// stays total and an old file sorted into it is looked up and saved whole (the fuzzer's first find).
    @Test func pathsWithANulByteStillHaveOneOrder() throws {
        #expect(FilesCacheWalkOrder.compare(Array("/a\0b".utf8), Array("/a/b".utf8)) > 0)
        #expect(FilesCacheWalkOrder.compare(Array("/a\0b".utf8), Array("/a\u{1}".utf8)) < 0)
        let names = ["/a/b", "/a\0b", "/a\0", "/a", "/\0", "/a/\0"]
        let entries = Dictionary(uniqueKeysWithValues: names.enumerated().map { n, name in
            (name, FilesCache.Entry(size: UInt64(n), mtime: 0, ctime: 0, inode: 0, content: [id(n)]))
        })
        let scratch = try ScratchRepository()
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let path = scratch.root + "/cache/files"
        try Data(FilesCache.encode(entries)).write(to: URL(fileURLWithPath: path))
        let cache = FilesCache.load(path: path)
        let read = cache.entries()
        #expect(read.count == names.count)
        for (name, entry) in read {
            #expect(cache.lookup(name, size: entry.size, mtime: 0, ctime: 0, inode: 0, isStored: { _ in true }) == entry.content)
            cache.remember(name, size: entry.size + 1, mtime: 0, ctime: 0, inode: 0, content: entry.content)
        }
        cache.save()
        #expect(try FilesCache.decode(Posix.readFile(path)).count == names.count)
    }

    /// Names that sort differently byte by byte and component by component ("a/x" before "a b", "a-b", "a.b",
    /// "a0"): the file's order is the walk's, so a second backup reads nothing.
    @Test func theFileIsInTheWalksOrderForNamesThatSortAwkwardly() throws {
        let scratch = try ScratchRepository()
        var contents: [String: [UInt8]] = [:]
        for top in ["a", "a b", "a-b", "a.b", "a0", "A", "ab", "日本", "a\u{1}"] {
            for inner in ["x", "x y", "x.y", "x-y", "xy", "d/e-file", "d/e/z", "d-e", "d.e", "d e", "顧客"] {
                contents[top + "/" + inner] = Array("\(top) \(inner)\n".utf8)
            }
            contents[top + "-file"] = Array(top.utf8)
        }
        let source = try scratch.makeSource(contents)
        let cache = scratch.root + "/cache/files"
        try FileManager.default.createDirectory(atPath: scratch.root + "/cache", withIntermediateDirectories: true)
        let cold = try backUp(scratch, source, cache: cache)
        #expect(cold.files == contents.count)
        #expect(FilesCache.load(path: cache).count == contents.count)
        let warm = try backUp(scratch, source, cache: cache)
        #expect(warm.files == contents.count)
        #expect(warm.bytesRead == 0)
    }

    /// A bit flipped in the second of several blocks keeps the first block's entries: only the files after it
    /// are read again, and the next save writes a whole file again.
    @Test func damageInALaterBlockCostsOnlyTheEntriesFromThere() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        let path = directory + "/files"
        let names = (0..<30_000).map { String(format: "/data/d%02d/f%06d", $0 / 1000, $0) }
        let first = FilesCache.load(path: path)
        for (n, name) in names.enumerated() { first.remember(name, size: 1, mtime: 1, ctime: 1, inode: UInt64(n), content: [id(n)]) }
        first.save()
        var bytes = try Posix.readFile(path)
        #expect(bytes.count > 2 * FilesCacheBlocks.blockBytes)
        bytes[FilesCacheBlocks.blockBytes + 4096 + 100] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let damaged = FilesCache.load(path: path)
        let kept = damaged.count
        #expect(kept > 1000 && kept < names.count / 2, "\(kept) entries kept")
        var hits = 0
        for (n, name) in names.enumerated() {
            if damaged.lookup(name, size: 1, mtime: 1, ctime: 1, inode: UInt64(n), isStored: { _ in true }) == [id(n)] {
                hits += 1
            } else {
                damaged.remember(name, size: 1, mtime: 1, ctime: 1, inode: UInt64(n), content: [id(n)])
            }
        }
        #expect(hits == kept)
        damaged.save()
        #expect(FilesCache.load(path: path).count == names.count)
    }

    /// A file in the previous format is read whole, and the backup that reads it writes the current format.
    @Test func aFileInThePreviousFormatIsReadAndRewritten() throws {
        let scratch = try ScratchRepository()
        let directory = scratch.root + "/cache"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/files"
        var w = BinaryWriter()
        w.bytes(Array("KURAFC02".utf8))
        for (n, name) in ["/srv/z", "/srv/a", "/srv/m"].enumerated() {
            FilesCacheEntries.encode(name, FilesCache.Entry(size: 1, mtime: 1, ctime: 1, inode: UInt64(n), content: [id(n)]), into: &w)
        }
        w.integer(3)
        try Data(w.out + Blake2b.hash256(w.out)).write(to: URL(fileURLWithPath: path))
        let cache = FilesCache.load(path: path)
        #expect(cache.count == 3)
        #expect(cache.lookup("/srv/a", size: 1, mtime: 1, ctime: 1, inode: 1, isStored: { _ in true }) == [id(1)])
        #expect(cache.lookup("/srv/m", size: 1, mtime: 1, ctime: 1, inode: 2, isStored: { _ in true }) == [id(2)])
        cache.save()
        let rewritten = try Posix.readFile(path)
        #expect(rewritten.starts(with: Array("KURAFC03".utf8)))
        #expect(try FilesCache.decode(rewritten).count == 3)
    }
}

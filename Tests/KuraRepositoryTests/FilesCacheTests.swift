import Foundation
import Testing
@testable import KuraRepository

/// The files cache is written by hand, a megabyte at a time, not by JSONEncoder (which held the whole document,
/// and a merged copy of the entries, in memory: over a gigabyte at a million paths). What it writes must read
/// back through the same JSONDecoder as before, whatever the names hold.
@Suite struct FilesCacheTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kura-files-cache-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path + "/kura/repo", withIntermediateDirectories: true)
        return path
    }

    private func id(_ n: Int) -> BlobID { BlobID(Array(repeating: UInt8(n & 0xff), count: 31) + [UInt8(n >> 8 & 0xff)]) }

    @Test func namesOfEveryKindReadBackAndUnvisitedEntriesAreKept() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/kura/repo/files.json"
        let names = ["/srv/plain.txt", "/srv/顧客データ/請求書 2026年.pdf", "/srv/quote\"inside", "/srv/back\\slash",
                     "/srv/new\nline\tand tab", "/srv/control\u{1}\u{1f}\u{7f}", "/srv/emoji 📼", "/srv/empty-file"]
        let first = FilesCache.load(path: path)
        for (n, name) in names.enumerated() {
            first.remember(name, size: UInt64(n * 1000), mtime: -Int64(n), ctime: Int64.max - Int64(n), inode: UInt64.max - UInt64(n),
                           content: name.hasSuffix("empty-file") ? [] : [id(n), id(n + 300)])
        }
        first.save()

        // A second run visits only the first name, with new metadata; the others must be kept as they were.
        let second = FilesCache.load(path: path)
        for (n, name) in names.enumerated() {
            let content = second.lookup(name, size: UInt64(n * 1000), mtime: -Int64(n), ctime: Int64.max - Int64(n),
                                        inode: UInt64.max - UInt64(n), isStored: { _ in true })
            #expect(content == (name.hasSuffix("empty-file") ? [] : [id(n), id(n + 300)]), "\(name)")
        }
        #expect(second.lookup(names[0], size: 1, mtime: 0, ctime: Int64.max, inode: UInt64.max, isStored: { _ in true }) == nil)
        second.remember(names[0], size: 7, mtime: 8, ctime: 9, inode: 10, content: [id(77)])
        second.save()

        let third = FilesCache.load(path: path)
        #expect(third.lookup(names[0], size: 7, mtime: 8, ctime: 9, inode: 10, isStored: { _ in true }) == [id(77)])
        #expect(third.lookup(names[0], size: 0, mtime: 0, ctime: Int64.max, inode: UInt64.max, isStored: { _ in true }) == nil)
        for (n, name) in names.enumerated().dropFirst() {
            #expect(third.lookup(name, size: UInt64(n * 1000), mtime: -Int64(n), ctime: Int64.max - Int64(n),
                                 inode: UInt64.max - UInt64(n), isStored: { _ in true }) != nil, "\(name) was lost")
        }
        // And the bytes are one JSON object of exactly those paths, as JSONSerialization reads it too.
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == Set(names))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aLargeCacheIsWrittenInPiecesOfAboutAMegabyte() throws {
        var new: [String: FilesCache.Entry] = [:]
        for n in 0..<60_000 {
            new["/data/d\(n % 1000)/f\(n).txt"] = FilesCache.Entry(size: UInt64(n), mtime: Int64(n), ctime: Int64(n), inode: UInt64(n),
                                                                 content: [id(n)])
        }
        var pieces: [Int] = []
        var document: [UInt8] = []
        try FilesCache.writeJSON([(key: String, value: FilesCache.Entry)](), new) { bytes in
            pieces.append(bytes.count)
            document.append(contentsOf: bytes)
        }
        #expect(pieces.count >= 5, "the document was not written in pieces: \(pieces)")
        #expect(pieces.allSatisfy { $0 <= (1 << 20) + 4096 }, "\(pieces.max() ?? 0) bytes in one piece")
        let decoded = try JSONDecoder().decode([String: FilesCache.Entry].self, from: Data(document))
        #expect(decoded.count == new.count)
        #expect(decoded["/data/d7/f1007.txt"]?.content == [id(1007)])
        #expect(decoded["/data/d7/f1007.txt"]?.inode == 1007)
    }
}

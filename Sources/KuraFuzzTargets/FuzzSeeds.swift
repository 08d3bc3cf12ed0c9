import Foundation
import KuraCompression
import KuraCrypto
import KuraMedia
import KuraRepository
import KuraStorage

/// Seeds for every target from real files: a repository `kura` wrote (opened with its password) and media it
/// wrote. Raw files become mode-0 inputs; what they decrypt to becomes the inputs of the other modes.
public enum FuzzSeeds {
    public static func make(repository path: String, password: String, media: [String], into directory: String) throws -> [FuzzTarget: Int] {
        let repository = try Repository.open(at: path, password: password)
        let key = repository.key
        let files = FileManager.default
        var counts: [FuzzTarget: Int] = [:]
        func seed(_ target: FuzzTarget, _ bytes: [UInt8]) throws {
            let folder = directory + "/" + target.rawValue
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + BlobID.ofFile(bytes).short))
            counts[target, default: 0] += 1
        }
        func contents(_ folder: String) throws -> [[UInt8]] {
            try files.contentsOfDirectory(atPath: path + "/" + folder).sorted().map { Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + folder + "/" + $0))) }
        }

        try seed(.config, Array(try Data(contentsOf: URL(fileURLWithPath: path + "/config"))))
        for slot in try contents("keys") { try seed(.keySlot, [0] + slot) }
        try seed(.keySlot, [1] + Array(try JSONEncoder().encode(key)))
        try seed(.keySlot, [1] + Array(try JSONEncoder().encode(key.writeOnly)))

        for file in try contents("index") {
            try seed(.index, [0] + file)
            try seed(.index, [1] + (try AEAD.open(Array(file.dropFirst(IndexFile.magic.count)), key: key.indexKey,
                                                  associatedData: IndexFile.associatedData)))
        }
        let sealedKeyLength = 32 + SealedBox.overheadBytes
        for file in try contents("snapshots") {
            try seed(.snapshot, [0] + file)
            let head = Snapshot.magic.count
            var snapshotKey = try SealedBox.open(Array(file[head..<head + sealedKeyLength]), publicKey: key.publicKey, secretKey: key.secretKey ?? [])
            defer { SecureMemory.wipe(&snapshotKey) }
            try seed(.snapshot, [1] + (try AEAD.open(Array(file.dropFirst(head + sealedKeyLength)), key: snapshotKey,
                                                     associatedData: Snapshot.associatedData)))
        }

        let index = try repository.loadIndex()
        let loader = try BlobLoader(repository: repository, index: index)
        for entry in try repository.snapshots() {
            var pending = [entry.snapshot.tree]
            while let tree = pending.popLast() {
                try seed(.tree, try loader.load(tree))
                pending += try loader.loadTree(tree).nodes.compactMap(\.subtree)
            }
        }
        let backend = LocalBackend(root: path)
        let reader = try PackReader(backend: backend, key: key)
        let compressor = try ZstdCompressor()
        for pack in index.packIDs {
            let file = Array(try Data(contentsOf: URL(fileURLWithPath: backend.path(ObjectHandle(.data, pack.hex)))))
            let entries = try reader.entries(of: pack)
            try seed(.pack, [0] + Array(file.dropFirst(PackFormat.blobsOffset)))
            try seed(.pack, [1] + PackFormat.encodeEntries(entries))
            let blobsEnd = entries.map { Int($0.offset) + Int($0.length) }.max() ?? PackFormat.blobsOffset
            let blobArea = Array(file[PackFormat.blobsOffset..<blobsEnd])
            if blobArea.count <= 0xffff {
                try seed(.pack, [2, UInt8(blobArea.count & 0xff), UInt8(blobArea.count >> 8)] + blobArea + PackFormat.encodeEntries(entries))
            }
            for entry in entries.prefix(4) {
                let plain = try reader.read(pack: pack, entry: entry)
                let length = UInt32(plain.count)
                let lengthBytes = [UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 24)]
                try seed(.pack, [3, 0] + lengthBytes + plain)
                try seed(.pack, [3, 1] + lengthBytes + (try compressor.compress(plain)))
            }
        }

        if let cache = files.contents(atPath: FilesCache.directory(for: repository.id) + "/files").map(Array.init),
           cache.count > 16, cache.starts(with: FilesCacheBlocks.magic) {
            try seed(.filesCache, [0] + cache)
            // The first block's entries (a length, then the entries), with the file's count: framed again, and as KURAFC02.
            let length = cache[8..<16].reversed().reduce(0) { $0 << 8 | Int($1) }
            let count = FilesCache.load(path: FilesCache.directory(for: repository.id) + "/files").entries().count
            if length > 0, 16 + length <= cache.count {
                let entries = [UInt8(count & 0xff), UInt8(count >> 8 & 0xff)] + Array(cache[16..<(16 + length)])
                try seed(.filesCache, [1] + entries)
                try seed(.filesCache, [2] + entries)
            }
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for medium in media {
            try seed(.medium, withoutPadding(Array(try Data(contentsOf: URL(fileURLWithPath: medium)))))
            for label in try MediumInspector.labels(device: medium) { try seed(.label, Array(try encoder.encode(label)) + [10]) }
        }
        for page in listingPages(of: try index.packIDs.map { "kura/data/\($0.hex.prefix(2))/\($0.hex)" }) { try seed(.s3xml, page) }
        try seed(.s3xml, Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><Resource>/kura/config</Resource></Error>
            """.utf8))
        return counts
    }

    /// ListObjectsV2 pages of `keys` as an S3 store writes them: two to a page, the last page untruncated.
    static func listingPages(of keys: [String]) -> [[UInt8]] {
        stride(from: 0, to: max(keys.count, 1), by: 2).map { start in
            let page = keys[min(start, keys.count)..<min(start + 2, keys.count)]
            let truncated = start + 2 < keys.count
            let contents = page.map { "<Contents><Key>\($0)</Key><LastModified>2026-12-01T03:00:00.000Z</LastModified><Size>\($0.count * 1000)</Size><StorageClass>STANDARD</StorageClass></Contents>" }
            let token = truncated ? "<NextContinuationToken>\(Data(page.last!.utf8).base64EncodedString())</NextContinuationToken>" : ""
            return Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>kura</Name><Prefix>kura/data/</Prefix>"
                + "<KeyCount>\(page.count)</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>\(truncated)</IsTruncated>\(token)"
                + contents.joined() + "</ListBucketResult>").utf8)
        }
    }

    /// A medium without the zero blocks that pad each set to its record size, beyond the two that end its
    /// archive: the same sets in a few kilobytes, which libFuzzer mutates far faster.
    static func withoutPadding(_ medium: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var zeros = 0
        var start = 0
        while start < medium.count {
            let block = medium[start..<min(medium.count, start + 512)]
            if block.allSatisfy({ $0 == 0 }) { zeros += 1 } else { zeros = 0 }
            if zeros <= 2 { out += block }
            start += 512
        }
        return out
    }
}

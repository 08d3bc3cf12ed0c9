import Foundation
import KuraCompression
import KuraCrypto
import KuraMedia
import KuraRepository
import KuraStorage

/// What every target shares: a full master key made once per process (an attacker holding only a
/// write-only key can still produce valid ciphertext of any plaintext, so the targets seal fuzzed
/// plaintext themselves and hand it to the real decoders), and a scratch directory for the parsers
/// that read files (left for the caller to remove: `scripts/fuzz` gives each run its own).
///
/// Inputs that start with a mode byte pick what the rest is: mode 0 is always the raw file as it would
/// lie on disk (framing, before any decryption); the others are plaintexts sealed here.
final class FuzzHarness: Sendable {
    static let shared = FuzzHarness()

    let key: MasterKey
    let scratch: String

    private init() {
        key = MasterKey.generate(repository: BlobID(RandomBytes.generate(32)))
        let base = ProcessInfo.processInfo.environment["KURA_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        scratch = base + "/kura-fuzz-\(ProcessInfo.processInfo.processIdentifier)-\(Hex.encode(RandomBytes.generate(4)))"
        try? FileManager.default.createDirectory(atPath: scratch + "/data", withIntermediateDirectories: true)
    }

    /// The mode byte and the rest.
    static func split(_ data: [UInt8], modes: UInt8) -> (mode: UInt8, rest: [UInt8]) {
        guard let first = data.first else { return (0, []) }
        return (first % modes, Array(data.dropFirst()))
    }

    /// Not `FileManager.createFile` or `Data.write`: on Linux both fsync, once per input.
    func write(_ bytes: [UInt8], to path: String) {
        guard let stream = OutputStream(toFileAtPath: path, append: false) else { return }
        stream.open()
        defer { stream.close() }
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBufferPointer { stream.write($0.baseAddress!, maxLength: $0.count) }
            guard n > 0 else { return }
            done += n
        }
    }

    // MARK: Repository formats

    /// 0: a whole pack file after its sealed pack key (blobs, header, trailer as they lie);
    /// 1: a decrypted header (entry list); 2: a pack with valid framing around a fuzzed header whose
    /// every entry is then read; 3: one blob's entry fields and payload, sealed, through the blob decoder.
    @discardableResult
    func pack(_ data: [UInt8]) -> Bool {
        let (mode, rest) = Self.split(data, modes: 4)
        switch mode {
        case 0:
            return readPack(blobsHeaderAndTrailer: rest, readBlobs: false)
        case 1:
            return (try? PackFormat.decodeEntries(rest)) != nil
        case 2:
            let blobLength = rest.count >= 2 ? Int(rest[0]) | Int(rest[1]) << 8 : 0
            let body = Array(rest.dropFirst(2))
            let blobs = Array(body.prefix(blobLength))
            let headerPlaintext = Array(body.dropFirst(blobLength))
            return readPack(blobsHeaderAndTrailer: blobs + sealedHeaderAndTrailer(headerPlaintext), readBlobs: true)
        default:
            return decodeBlob(rest)
        }
    }

    private let packKey = [UInt8](repeating: 7, count: 32)

    private func sealedHeaderAndTrailer(_ plaintext: [UInt8]) -> [UInt8] {
        guard let header = try? AEAD.seal(plaintext, key: packKey, associatedData: PackFormat.headerAssociatedData) else { return [] }
        let length = UInt32(header.count)
        return header + [UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 24)] + PackFormat.magic
    }

    private func readPack(blobsHeaderAndTrailer: [UInt8], readBlobs: Bool) -> Bool {
        guard let sealedKey = try? SealedBox.seal(packKey, to: key.publicKey) else { return false }
        let file = PackFormat.magic + sealedKey + blobsHeaderAndTrailer
        let id = BlobID.ofFile(file)
        let backend = LocalBackend(root: scratch)
        let path = backend.path(ObjectHandle(.data, id.hex))
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        write(file, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let reader = try? PackReader(backend: backend, key: key), let entries = try? reader.entries(of: id) else { return false }
        guard readBlobs else { return true }
        return entries.map { (try? reader.read(pack: id, entry: $0)) != nil }.allSatisfy { $0 }
    }

    /// Entry fields (flags u8, raw length u32) then the payload, sealed under the pack key with the blob id as
    /// associated data, as a write-only host can make them.
    private func decodeBlob(_ rest: [UInt8]) -> Bool {
        guard rest.count >= 5, let decompressor = try? ZstdDecompressor() else { return false }
        let rawLength = UInt32(rest[1]) | UInt32(rest[2]) << 8 | UInt32(rest[3]) << 16 | UInt32(rest[4]) << 24
        let payload = Array(rest.dropFirst(5))
        let id = payload.withUnsafeBytes { key.blobID(of: $0) }
        let entry = PackEntry(id: id, type: .data, flags: rest[0], offset: 0, length: 0, rawLength: rawLength)
        guard let sealed = try? AEAD.seal(payload, key: packKey, associatedData: id.bytes) else { return false }
        return (try? PackReader.decode(sealed: sealed, entry: entry, pack: .zero, packKey: packKey, key: key, decompressor: decompressor)) != nil
    }

    /// 0: an index file as it lies; 1: a decrypted index body.
    @discardableResult
    func index(_ data: [UInt8]) -> Bool {
        let (mode, rest) = Self.split(data, modes: 2)
        let file: [UInt8]
        if mode == 0 {
            file = rest
        } else {
            guard let sealed = try? AEAD.seal(rest, key: key.indexKey, associatedData: IndexFile.associatedData) else { return false }
            file = IndexFile.magic + sealed
        }
        guard let index = try? MasterIndex.decode(indexFile: file, key: key) else { return false }
        for pack in index.packIDs { _ = try? index.entries(of: pack) }
        return true
    }

    /// 0: a snapshot file as it lies; 1: the decrypted JSON of one.
    @discardableResult
    func snapshot(_ data: [UInt8]) -> Bool {
        let (mode, rest) = Self.split(data, modes: 2)
        let file: [UInt8]
        if mode == 0 {
            file = rest
        } else {
            let snapshotKey = AEAD.generateKey()
            guard let sealedKey = try? SealedBox.seal(snapshotKey, to: key.publicKey),
                  let sealed = try? AEAD.seal(rest, key: snapshotKey, associatedData: Snapshot.associatedData) else { return false }
            file = Snapshot.magic + sealedKey + sealed
        }
        guard let snapshot = try? Snapshot.open(file: file, id: BlobID.ofFile(file), key: key) else { return false }
        _ = SnapshotEntry(id: .zero, snapshot: snapshot).isFutureDated(now: Date())
        return true
    }

    @discardableResult
    func tree(_ data: [UInt8]) -> Bool {
        (try? Tree.decode(data, id: .zero)) != nil
    }

    /// 0: a key slot file; 1: the master key JSON a slot holds once opened.
    @discardableResult
    func keySlot(_ data: [UInt8]) -> Bool {
        let (mode, rest) = Self.split(data, modes: 2)
        if mode == 0 {
            guard let slot = try? KeySlot.decode(rest) else { return false }
            return slot.damage == nil
        }
        guard let key = try? JSONDecoder().decode(MasterKey.self, from: Data(rest)) else { return false }
        return key.writeOnly.kind == .writeOnly
    }

    /// `config` as `Repository.readConfig` reads it, and the chunker it would set up.
    @discardableResult
    func config(_ data: [UInt8]) -> Bool {
        write(data, to: scratch + "/config")
        guard let config = try? Repository.readConfig(at: scratch), config.chunker.maxSize <= 8 << 20 else { return false }
        return (try? Chunker(parameters: config.chunker, gearSeed: key.gearSeed)) != nil
    }

    // MARK: Media

    /// A set label: decoded, its key slots decoded and checked, and authenticated under the key.
    @discardableResult
    func label(_ data: [UInt8]) -> Bool {
        let set = ((try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any])?["set"] as? String ?? "kura-set-0"
        guard let label = try? MediumLabel.decode(data, path: set + "/label.json", device: "fuzz") else { return false }
        for (_, json) in label.keySlots {
            if let slot = try? KeySlot.decode(Array(json.utf8)) { _ = slot.damage }
        }
        _ = try? label.authenticated(with: key)
        _ = MediumInspector.newest(in: [label])
        return true
    }

    /// A whole medium read in one pass, as `media label` and every reader of a file, pipe or tape does.
    @discardableResult
    func medium(_ data: [UInt8]) -> Bool {
        let path = scratch + "/medium.tar"
        write(data, to: path)
        return ((try? MediumInspector.survey(device: path))?.labels.count ?? 0) > 0
    }

    // MARK: Object storage

    /// An S3 response body read as kura reads every body: as an error document, and as a listing page
    /// whose keys become object names.
    @discardableResult
    func s3xml(_ data: [UInt8]) -> Bool {
        let error = S3XML.errorBody(data)
        guard let page = S3XML.listPage(data) else { return error != nil }
        return page.objects.allSatisfy { !$0.key.isEmpty && $0.size >= 0 }
    }

    // MARK: The host

    /// 0: a files-cache file as it lies (any format); 1: a count (2 bytes) and entries framed in valid
    /// `KURAFC03` blocks (a block wherever the next byte is 0xFF, so the chain checks); 2: a count and entries in a
    /// `KURAFC02` file with its digest. Then a backup's pass: every entry read must be found with its own
    /// metadata, and the file saved after remembering them all (every other one changed) must hold the
    /// same paths, whole: a trap otherwise, since the fuzzer reports only crashes.
    @discardableResult
    func filesCache(_ data: [UInt8]) -> Bool {
        let (mode, rest) = Self.split(data, modes: 3)
        // As a host keeps it (CACHE/kura/REPOSITORY-ID/files): saving makes both directories above it owner-only.
        let path = scratch + "/cache/kura/fuzz/files"
        try? FileManager.default.createDirectory(atPath: scratch + "/cache/kura/fuzz", withIntermediateDirectories: true)
        let file: [UInt8]
        let count = rest.count >= 2 ? Int(rest[0]) | Int(rest[1]) << 8 : 0
        let entries = Array(rest.dropFirst(2))
        switch mode {
        case 0:
            file = rest
        case 1:
            var blocks = FilesCacheBlocks()
            var framed = FilesCacheBlocks.magic
            for block in entries.split(separator: 0xFF) {
                framed += Array(block).withUnsafeBytes { blocks.block($0) }
            }
            file = framed + blocks.end(count: count)
        default:
            let body = Array("KURAFC02".utf8) + entries + withUnsafeBytes(of: UInt64(count).littleEndian, Array.init)
            file = body + Blake2b.hash256(body)
        }
        write(file, to: path)
        let cache = FilesCache.load(path: path)
        let before = cache.entries()
        for (n, (name, e)) in before.enumerated() where !name.contains("\u{FFFD}") {
            guard cache.lookup(name, size: e.size, mtime: e.mtime, ctime: e.ctime, inode: e.inode, isStored: { _ in true }) == e.content else {
                fatalError("files cache: the entry for \(name.debugDescription) was read but not found")
            }
            cache.remember(name, size: e.size &+ UInt64(n % 2), mtime: e.mtime, ctime: e.ctime, inode: e.inode, content: e.content)
        }
        cache.save()
        let after = FilesCache.load(path: path).entries()
        guard after.map(\.path) == before.map(\.path) else {
            fatalError("files cache: \(before.count) entries read, \(after.count) saved")
        }
        return !before.isEmpty
    }
}

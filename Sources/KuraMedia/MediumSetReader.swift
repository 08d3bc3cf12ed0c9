import KuraCrypto
import KuraRepository

/// Reads one set's entries after its label: snapshot files, the index, the tree blobs, then hands
/// each pack to `onPack` as it streams by. Stops at the next set's label or the end.
final class MediumSetReader {
    let stream: MediumStream
    let label: MediumLabel
    let key: MasterKey
    let decoder: BlobDecoder

    private(set) var snapshots: [BlobID: Snapshot] = [:]
    private(set) var index = MasterIndex()
    private(set) var trees: [BlobID: Tree] = [:]
    private(set) var packsSeen: [BlobID] = []
    private(set) var indexSeen = false

    init(stream: MediumStream, label: MediumLabel, password: String) throws {
        self.stream = stream
        self.label = label
        key = try label.openKey(password: password)
        decoder = try BlobDecoder(key: key)
    }

    /// Reads the set to its end. `onMetadataComplete` runs once, before the first pack, when
    /// snapshots, index and trees are all known. `onPack` gets each pack's id and whole bytes.
    func read(onMetadataComplete: (MediumSetReader) throws -> Void,
                       onPack: (BlobID, [UInt8]) throws -> Void) throws {
        let prefix = label.set + "/"
        var metadataDone = false
        while let entry = try stream.next() {
            guard entry.path.hasPrefix(prefix) else {
                if MediumStream.isLabel(entry.path) { stream.pushBack(entry); break }
                try stream.skip()
                continue
            }
            let parts = entry.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
            switch (parts.first, parts.last.flatMap { BlobID(hex: $0) }) {
            case ("snapshots", let id?):
                snapshots[id] = try Snapshot.open(file: try stream.readAll(entry), id: id, key: key)
            case ("index", let id?):
                let bytes = try stream.readAll(entry)
                guard BlobID.ofFile(bytes) == id else { throw MediaError(.damaged, "index \(id.short) on the medium is damaged") }
                index = try MasterIndex.decode(indexFile: bytes, key: key)
                indexSeen = true
            case ("trees", let pack?):
                try readTrees(try stream.readAll(entry), pack: pack)
            case ("data", let pack?):
                if !metadataDone {
                    guard indexSeen else { throw MediaError(.damaged, "the set \(label.set) has no index before its packs") }
                    try onMetadataComplete(self)
                    metadataDone = true
                }
                let bytes = try stream.readAll(entry)
                packsSeen.append(pack)
                try onPack(pack, bytes)
            default:
                try stream.skip()
            }
        }
        if !metadataDone && indexSeen { try onMetadataComplete(self) }
    }

    private func readTrees(_ bytes: [UInt8], pack: BlobID) throws {
        let head = 88
        var packKey = try decoder.packKey(head: bytes[..<min(head, bytes.count)], pack: pack)
        defer { SecureMemory.wipe(&packKey) }
        var position = head
        for entry in index.entries(of: pack).filter({ $0.type == .tree }).sorted(by: { $0.offset < $1.offset }) {
            let end = position + Int(entry.length)
            guard end <= bytes.count else { throw MediaError(.damaged, "tree blobs of pack \(pack.short) are truncated") }
            let plain = try decoder.decode(Array(bytes[position..<end]), entry: entry, pack: pack, packKey: packKey)
            trees[entry.id] = try decoder.decodeTree(plain, id: entry.id)
            position = end
        }
    }

    /// Decodes the blobs of a pack's bytes that `wanted` selects, a batch at a time on every core.
    func decodeBlobs(of pack: BlobID, bytes: [UInt8], wanted: (PackEntry) -> Bool,
                     deliver: (PackEntry, [UInt8]) throws -> Void) throws {
        var packKey = try decoder.packKey(head: bytes[..<min(88, bytes.count)], pack: pack)
        defer { SecureMemory.wipe(&packKey) }
        let entries = index.entries(of: pack).filter(wanted).sorted { $0.offset < $1.offset }
        var start = 0
        while start < entries.count {
            let batch = Array(entries[start..<min(entries.count, start + 16)])
            var plain = [[UInt8]](repeating: [], count: batch.count)
            try plain.withUnsafeMutableBufferPointer { out in
                try parallelFor(batch.count) { i in
                    let e = batch[i]
                    let end = Int(e.offset) + Int(e.length)
                    guard end <= bytes.count else { throw MediaError(.damaged, "pack \(pack) is shorter than its index says") }
                    out[i] = try decoder.decode(Array(bytes[Int(e.offset)..<end]), entry: e, pack: pack, packKey: packKey)
                }
            }
            for (i, e) in batch.enumerated() { try deliver(e, plain[i]) }
            start += batch.count
        }
    }

    /// `latest` (the newest snapshot in this set) or a unique id prefix.
    func resolve(_ name: String) throws -> (BlobID, Snapshot) {
        if name == "latest" {
            guard let newest = snapshots.max(by: { $0.value.time < $1.value.time }) else {
                throw MediaError(.snapshotNotFound, "the set \(label.set) holds no snapshot")
            }
            return (newest.key, newest.value)
        }
        let matches = snapshots.filter { $0.key.hex.hasPrefix(name.lowercased()) }
        guard matches.count == 1, let match = matches.first else {
            throw MediaError(.snapshotNotFound, matches.isEmpty ? "snapshot \(name) is not on \(stream.device)" : "snapshot id \(name) is ambiguous")
        }
        return (match.key, match.value)
    }
}

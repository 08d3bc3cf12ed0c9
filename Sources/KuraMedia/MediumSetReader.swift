import Foundation
import KuraCrypto
import KuraRepository

/// Reads one set's entries after its label: snapshot files, the index, the tree blobs, then hands
/// each pack to `onPack` as it streams by, to the end of the set.
final class MediumSetReader {
    let stream: MediumStream
    /// The label, with its sealed details when it authenticated.
    let label: MediumLabel
    /// Why the label did not authenticate under the key its slots opened; nil when it did (or is version 1).
    let labelFailure: MediaError?
    /// Computes ids with the function the set's config names once that entry (written right after the label) is read.
    private(set) var key: MasterKey
    private(set) var decoder: BlobDecoder

    private(set) var snapshots: [BlobID: Snapshot] = [:]
    private(set) var index = MasterIndex()
    private(set) var trees: [BlobID: Tree] = [:]
    private(set) var packsSeen: [BlobID] = []
    private(set) var indexSeen = false
    /// Entries met while reading the set that are not part of it (see `SetEntry`), never acted on.
    private(set) var foreignEntries: [String] = []

    init(stream: MediumStream, label: MediumLabel, password: String) throws {
        self.stream = stream
        key = try label.openKey(password: password)
        do {
            self.label = try label.authenticated(with: key)
            labelFailure = nil
        } catch let error as MediaError {
            self.label = label
            labelFailure = error
        }
        decoder = try BlobDecoder(key: key)
    }

    /// Reads the set to its end. `onMetadataComplete` runs once, before the first pack, when
    /// snapshots, index and trees are all known. `onPack` gets each pack's id and whole bytes.
    func read(onMetadataComplete: (MediumSetReader) throws -> Void,
                       onPack: (BlobID, [UInt8]) throws -> Void) throws {
        var metadataDone = false
        while let entry = try stream.next() {
            guard let part = SetEntry(entry, set: label.set) else {
                foreignEntries.append(SetEntry.foreign(entry))
                try stream.skip()
                continue
            }
            switch part {
            case .snapshot(let id):
                snapshots[id] = try Snapshot.open(file: try stream.readAll(entry), id: id, key: key)
            case .index(let id):
                let bytes = try stream.readAll(entry)
                guard BlobID.ofFile(bytes) == id else { throw MediaError(.damaged, "index \(id.short) on the medium is damaged") }
                index = try MasterIndex.decode(indexFile: bytes, key: key)
                indexSeen = true
            case .trees(let pack):
                try readTrees(try stream.readAll(entry), pack: pack)
            case .pack(let pack):
                if !metadataDone {
                    guard indexSeen else { throw MediaError(.damaged, "the set \(label.set) has no index before its packs") }
                    try onMetadataComplete(self)
                    metadataDone = true
                }
                let bytes = try stream.readAll(entry)
                packsSeen.append(pack)
                try onPack(pack, bytes)
            case .label:
                foreignEntries.append("entry \(entry.path) repeats the set's label")
                try stream.skip()
            case .config:
                try useChunkID(of: try stream.readAll(entry))
            }
        }
        if !metadataDone && indexSeen { try onMetadataComplete(self) }
    }

    /// Chunk and tree ids on this set are computed with the function its config names (keyed BLAKE2b when
    /// it names none); a config that does not decode leaves that default, one naming an unknown function stops.
    private func useChunkID(of config: [UInt8]) throws {
        guard let decoded = try? JSONDecoder().decode(RepositoryConfig.self, from: Data(config)) else { return }
        key = key.using(try ChunkIDFunction.named(decoded.chunkID, in: "set \(label.set)"))
        decoder = try BlobDecoder(key: key)
    }

    private func readTrees(_ bytes: [UInt8], pack: BlobID) throws {
        let head = 88
        var packKey = try decoder.packKey(head: bytes[..<min(head, bytes.count)], pack: pack)
        defer { SecureMemory.wipe(&packKey) }
        var position = head
        for entry in try index.entries(of: pack).filter({ $0.type == .tree }).sorted(by: { $0.offset < $1.offset }) {
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
        let entries = try index.entries(of: pack).filter(wanted).sorted { $0.offset < $1.offset }
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
            let now = Date()
            guard let newest = snapshots.filter({ !SnapshotEntry(id: $0.key, snapshot: $0.value).isFutureDated(now: now) })
                .max(by: { $0.value.time < $1.value.time }) else {
                throw MediaError(.snapshotNotFound, "the set \(label.set) holds no snapshot that is not dated in the future")
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

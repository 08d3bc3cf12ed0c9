import Foundation
import KuraRepository

/// Restores a snapshot from a medium alone, with the passphrase, in one sequential pass: the
/// set's snapshot files, index and trees come first, so every file is laid out before its data
/// streams by; each chunk is written at its offset as its pack passes. Files a truncated medium
/// left incomplete are removed and named.
public final class MediumRestore {
    public enum Target {
        /// Recreate the snapshot's paths below a directory.
        case directory(String, IncludeFilter)
        /// Write one file of the snapshot (e.g. crm.sql) to a descriptor, in order.
        case stream(name: String, output: Int32)
    }

    public struct Result: Sendable, Encodable {
        public var snapshotID: String
        public var set: String
        /// The medium's serial and the repository, from the set's label.
        public var serial: String
        public var repositoryID: String
        /// The snapshot's host and backed-up paths (or stream names), from the label.
        public var hostname: String
        public var paths: [String]
        public var files: Int
        public var bytes: Int64
        public var seconds: Double
        /// Snapshot paths of existing entries in the target that were replaced, and of those left as they were.
        public var overwritten: [String] = []
        public var skipped: [String] = []

        enum CodingKeys: String, CodingKey {
            case snapshotID = "snapshot_id", set, serial, repositoryID = "repository_id", hostname, paths, files, bytes, seconds
            case overwritten, skipped
        }
    }

    public var onProgress: ((Int64) -> Void)?
    /// What a restore into a directory does with entries already there (see `RestoreTarget.plan`).
    public var overwrite = OverwritePolicy.refuse
    private let device: String
    private var bytes: Int64 = 0
    /// The snapshot being restored, as the medium's authenticated snapshot file records it.
    private var restored: Snapshot?

    public init(device: String) {
        self.device = device
    }

    /// Restores `snapshot` ('latest' or an id prefix). 'latest' means the newest snapshot of the
    /// last set on a file, of the first set on a tape (which cannot be read twice).
    public func restore(_ snapshot: String, password: String, to target: Target) throws -> Result {
        let start = Date()
        var wantedSet: String?
        if snapshot == "latest" && DeviceCalls.isRegularFileOrMissing(device) {
            wantedSet = try MediumInspector.labels(device: device).last?.set
        }
        let stream = try MediumStream(device: device)
        var (_, label) = try stream.firstLabel()
        while true {
            let holds = snapshot == "latest" ? (wantedSet == nil || wantedSet == label.set)
                                             : label.snapshots.contains { $0.id.hasPrefix(snapshot.lowercased()) }
            if holds {
                let (id, layout) = try restoreSet(stream: stream, label: label, snapshot: snapshot, password: password, target: target)
                let directory = layout as? DirectoryLayout
                return Result(snapshotID: id.hex, set: label.set, serial: label.serial, repositoryID: label.repositoryID,
                              hostname: restored?.hostname ?? "", paths: restored?.paths ?? [], files: layout.fileCount, bytes: bytes,
                              seconds: Date().timeIntervalSince(start), overwritten: directory?.overwritten ?? [],
                              skipped: directory?.skipped ?? [])
            }
            guard let next = try Self.skipToNextLabel(stream) else {
                throw MediaError(.snapshotNotFound, "snapshot \(snapshot) is not on \(device)")
            }
            label = next
        }
    }

    static func skipToNextLabel(_ stream: MediumStream) throws -> MediumLabel? {
        while let entry = try stream.next() {
            if MediumStream.isLabel(entry) { return try MediumLabel.decode(try stream.readAll(entry), path: entry.path, device: stream.device) }
            try stream.skip()
        }
        return nil
    }

    private func restoreSet(stream: MediumStream, label: MediumLabel, snapshot: String, password: String,
                            target: Target) throws -> (BlobID, any ChunkLayout) {
        let reader = try MediumSetReader(stream: stream, label: label, password: password)
        if let failure = reader.labelFailure { throw failure }
        var layout: ChunkLayout?
        var snapshotID = BlobID.zero
        var failure: Error?
        do {
            try reader.read(onMetadataComplete: { reader in
                let (id, snap) = try reader.resolve(snapshot)
                snapshotID = id
                self.restored = snap
                switch target {
                case .directory(let root, let filter):
                    layout = try DirectoryLayout(root: root, filter: filter, overwrite: self.overwrite, snapshot: snap,
                                                 trees: reader.trees, index: reader.index, key: reader.key)
                case .stream(let name, let output):
                    layout = try StreamLayout(name: name, output: output, snapshot: snap, trees: reader.trees, index: reader.index)
                }
                try layout?.start()
            }, onPack: { pack, bytes in
                guard let layout else { return }
                try reader.decodeBlobs(of: pack, bytes: bytes, wanted: { layout.needs($0.id) }) { entry, plain in
                    try layout.deliver(entry.id, plain)
                    self.bytes += Int64(plain.count)
                    self.onProgress?(self.bytes)
                }
            })
        } catch let error as MediaError where error.code == .truncated || error.code == .damaged {
            failure = error
        } catch let error as RepositoryError where error.code == .damaged {
            failure = error
        }
        guard let layout else {
            if let failure { throw failure }
            throw MediaError(.snapshotNotFound, "snapshot \(snapshot) is not in set \(label.set)")
        }
        let incomplete = try layout.finish()
        if failure != nil || !incomplete.isEmpty {
            let seen = Set(reader.packsSeen)
            let missing = reader.index.packIDs.filter { !seen.contains($0) }
            let truncated = failure == nil || (failure as? MediaError)?.code == .truncated
            var message = truncated ? "\(device) is truncated: " : "\(device) is damaged (\(failure!)): "
            message += missing.isEmpty ? "the set ends early" : "\(missing.count) pack\(missing.count == 1 ? "" : "s") \(truncated ? "missing" : "not read") (\(missing.prefix(3).map(\.short).joined(separator: ", "))\(missing.count > 3 ? ", ..." : ""))"
            if !incomplete.isEmpty {
                message += "; \(incomplete.count) file\(incomplete.count == 1 ? "" : "s") incomplete and not restored: \(incomplete.prefix(5).joined(separator: ", "))\(incomplete.count > 5 ? ", ..." : "")"
            }
            throw MediaError(truncated ? .truncated : .damaged, message)
        }
        return (snapshotID, layout)
    }
}

/// Where each chunk of the snapshot goes.
protocol ChunkLayout: AnyObject {
    var fileCount: Int { get }
    func start() throws
    func needs(_ blob: BlobID) -> Bool
    func deliver(_ blob: BlobID, _ plain: [UInt8]) throws
    /// Completes what can be completed; returns the paths left incomplete (and removed).
    func finish() throws -> [String]
}

/// The chunk offsets of one file node, from the index's raw lengths.
func chunkOffsets(_ node: Node, index: MasterIndex) throws -> [(BlobID, Int)] {
    var offset = 0
    return try (node.content ?? []).map { blob in
        guard let (_, entry) = index.lookup(blob) else { throw MediaError(.damaged, "blob \(blob.short) is not in the set's index") }
        defer { offset += Int(entry.rawLength) }
        return (blob, offset)
    }
}

func walkTrees(_ tree: BlobID, _ trees: [BlobID: Tree], prefix: String = "", visit: (String, Node) throws -> Void) throws {
    guard let listing = trees[tree] else { throw MediaError(.damaged, "tree \(tree.short) is not on the medium") }
    for node in listing.nodes {
        try RestoreTarget.checkName(node.name)
        let path = prefix + "/" + node.name
        try visit(path, node)
        if node.type == .directory, let subtree = node.subtree { try walkTrees(subtree, trees, prefix: path, visit: visit) }
    }
}

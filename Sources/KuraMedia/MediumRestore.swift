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
    /// Told about each incomplete set that is skipped (a write interrupted part way).
    public var onSkippedSet: ((String) -> Void)?
    /// What a restore into a directory does with entries already there (see `RestoreTarget.plan`).
    public var overwrite = OverwritePolicy.refuse
    private let device: String
    private var bytes: Int64 = 0
    /// The snapshot being restored, as the medium's authenticated snapshot file records it.
    private var restored: Snapshot?

    public init(device: String) {
        self.device = device
    }

    /// Restores `snapshot` ('latest' or an id prefix). 'latest' is the newest snapshot on the
    /// whole medium (see `locateLatest`); an id is restored from the first set that holds it.
    public func restore(_ snapshot: String, password: String, to target: Target) throws -> Result {
        let start = Date()
        let stream: MediumStream, wanted: String
        if snapshot == "latest" {
            (stream, wanted) = try locateLatest(password: password)
        } else {
            (stream, wanted) = (try MediumStream(device: device), snapshot.lowercased())
        }
        var (_, label) = try stream.firstLabel()
        while true {
            if label.snapshots.contains(where: { $0.id.hasPrefix(wanted) }) {
                let (id, layout) = try restoreSet(stream: stream, label: label, snapshot: wanted, password: password, target: target)
                let directory = layout as? DirectoryLayout
                return Result(snapshotID: id.hex, set: label.set, serial: label.serial, repositoryID: label.repositoryID,
                              hostname: restored?.hostname ?? "", paths: restored?.paths ?? [], files: layout.fileCount, bytes: bytes,
                              seconds: Date().timeIntervalSince(start), overwritten: directory?.overwritten ?? [],
                              skipped: directory?.skipped ?? [])
            }
            guard let next = try Self.nextLabel(stream, onSkippedSet: onSkippedSet) else {
                throw MediaError(.snapshotNotFound, "snapshot \(snapshot) is not on \(device)")
            }
            label = next
        }
    }

    /// Moves to the next set whose label reads, naming those whose label does not; nil at the end.
    static func nextLabel(_ stream: MediumStream, tee: Int32? = nil, onSkippedSet: ((String) -> Void)?) throws -> MediumLabel? {
        while try stream.nextSet(tee: tee) {
            do {
                return try stream.firstLabel().1
            } catch let error as MediaError where error.code != .device {
                onSkippedSet?(MediumInspector.skipMessage(device: stream.device, .init(offset: stream.setOffset, label: nil,
                                                                                       problem: "its label does not read (\(error.message))")))
            }
        }
        return nil
    }

    /// The newest snapshot on the medium, by snapshot time, among the complete sets (snapshots
    /// dated more than `Snapshot.futureSkew` ahead are never 'latest'), and a stream positioned at
    /// the set that holds it. Each candidate set's label is authenticated with the passphrase first.
    /// A file is read once through to find the sets, then again from that set. A pipe or tape
    /// cannot be read twice: it is read once to its end while the newest complete set seen so far
    /// is kept in an unlinked scratch file (in TMPDIR), from which the restore then reads; that
    /// costs temporary space for up to two sets and writing each newer set there once.
    private func locateLatest(password: String) throws -> (MediumStream, String) {
        let now = Date()
        var keys: [String: MasterKey] = [:]
        func newest(_ label: MediumLabel) throws -> (id: String, time: Date)? {
            let key = try keys[label.repositoryID] ?? label.openKey(password: password)
            keys[label.repositoryID] = key
            return try label.authenticated(with: key).snapshots
                .compactMap { s in Snapshot.parseTime(s.time).map { (id: s.id, time: $0) } }
                .filter { $0.time.timeIntervalSince(now) <= Snapshot.futureSkew }
                .max { $0.time < $1.time }
        }
        let noSnapshot = MediaError(.snapshotNotFound, "\(device) holds no complete set with a snapshot that is not dated in the future")
        if DeviceCalls.isRegularFileOrMissing(device) {
            let survey = try MediumInspector.survey(device: device)
            if survey.sets.contains(where: \.isComplete) { survey.skipped.forEach { onSkippedSet?($0) } }
            var best: (offset: Int64, id: String, time: Date)?
            // With no complete set, an incomplete one is read for what it holds (and its gaps named).
            let sets = survey.sets.contains(where: \.isComplete) ? survey.sets.filter(\.isComplete) : survey.sets
            for set in sets {
                if let label = set.label, let candidate = try newest(label), candidate.time > best?.time ?? .distantPast {
                    best = (set.offset, candidate.id, candidate.time)
                }
            }
            guard let best else { throw noSnapshot }
            return (try MediumStream(device: device, offset: best.offset), best.id)
        }
        var spool = try DeviceCalls.scratchFile()
        var best: (spool: Int32, id: String, time: Date)?
        defer {
            DeviceCalls.close(spool)
            if let best { DeviceCalls.close(best.spool) }
        }
        let stream = try MediumStream(device: device, tee: spool)
        var label: MediumLabel? = try stream.firstLabel().1
        while let current = label {
            let offset = stream.setOffset
            let candidate = try newest(current)
            let better = candidate.map { $0.time > best?.time ?? .distantPast } ?? false
            if !better { stream.tee = nil }
            if let problem = try stream.checkRest(of: current) {
                onSkippedSet?(MediumInspector.skipMessage(device: device, .init(offset: offset, label: current, problem: problem)))
            } else if better, let candidate {
                let previous = best?.spool
                best = (spool, candidate.id, candidate.time)
                spool = try previous ?? DeviceCalls.scratchFile()
            }
            try DeviceCalls.truncate(spool, to: 0, path: "the spool file")
            try DeviceCalls.seek(spool, to: 0, path: "the spool file")
            label = try Self.nextLabel(stream, tee: spool, onSkippedSet: onSkippedSet)
        }
        guard let chosen = best else { throw noSnapshot }
        best = nil
        return (try MediumStream(spool: chosen.spool, device: device), chosen.id)
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

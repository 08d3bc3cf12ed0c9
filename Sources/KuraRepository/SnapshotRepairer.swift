import Foundation
import KuraSystem
import KuraStorage

/// `kura repair snapshots` (restic's `repair snapshots` is the model): a snapshot whose trees or data are missing
/// is rewritten so that what remains restores. A file with a missing data blob keeps the data before it (it is
/// truncated there); a directory whose tree is missing or does not read becomes an empty directory. The result
/// is a new snapshot with the original's time, host, user and paths and the tag `repaired`; the original is
/// forgotten only with `forget`. A snapshot file that does not read, or whose root tree is missing, cannot be
/// saved: `forget` removes it. A snapshot that a hold keeps is never forgotten.
///
/// A data blob counts as missing when no index entry names it or its pack file is gone; bytes damaged inside a
/// pack that is there are found by `kura check --read-data`, not here.
public final class SnapshotRepairer {
    public struct Options: Sendable {
        public var dryRun: Bool
        public var forget: Bool
        /// Snapshot id prefixes; empty means every snapshot.
        public var snapshots: [String]

        public init(dryRun: Bool = false, forget: Bool = false, snapshots: [String] = []) {
            self.dryRun = dryRun
            self.forget = forget
            self.snapshots = snapshots
        }
    }

    public struct Repaired: Codable, Sendable {
        public var original: String
        /// The new snapshot's id (nil in a dry run).
        public var repaired: String?
        public var changes: [String]
        public var forgotten: Bool
    }

    public struct Unsaveable: Codable, Sendable {
        public var snapshot: String
        public var problem: String
        public var forgotten: Bool
    }

    public struct Report: Codable, Sendable {
        public var dryRun = false
        public var checked = 0
        public var intact = 0
        public var repaired: [Repaired] = []
        public var unsaveable: [Unsaveable] = []

        enum CodingKeys: String, CodingKey { case dryRun = "dry_run", checked, intact, repaired, unsaveable }
    }

    public static let tag = "repaired"

    private let repository: Repository
    private var index = MasterIndex()
    private var loader: BlobLoader?
    private var saver: BlobSaver?
    private var missingPacks = Set<BlobID>()
    /// Trees found whole: every tree and data blob under them is there.
    private var intactTrees = Set<BlobID>()
    private var dryRun = false

    public init(repository: Repository) {
        self.repository = repository
    }

    public func run(_ options: Options) throws -> Report {
        try repository.requireFullKey(to: "repair snapshots")
        dryRun = options.dryRun
        var report = Report(dryRun: options.dryRun)
        let backend = repository.backend
        index = try repository.loadIndex()
        let stored = Set(try backend.ids(.data))
        missingPacks = Set(index.packIDs.filter { !stored.contains($0) })
        loader = try BlobLoader(repository: repository, index: index)
        if !dryRun { saver = try BlobSaver(repository: repository, index: try index.without(packs: missingPacks)) }
        defer { saver?.abandon() }
        let held = Set(try repository.holdMirrors().map(\.mirror.snapshotID))

        var ids = try repository.snapshotIDs()
        if !options.snapshots.isEmpty {
            ids = try options.snapshots.map { prefix in try Repository.snapshotID(in: repository.backend, prefix: prefix) }
        }
        var forget: [BlobID] = []
        var pending: [(original: BlobID, snapshot: Snapshot, changes: [String])] = []
        for id in ids.sorted() {
            report.checked += 1
            let mayForget = options.forget && !held.contains(id.hex)
            let snapshot: Snapshot
            do {
                snapshot = try repository.loadSnapshot(id)
            } catch let error as RepositoryError where error.code == .damaged {
                report.unsaveable.append(Unsaveable(snapshot: id.hex, problem: error.message, forgotten: mayForget))
                if mayForget { forget.append(id) }
                continue
            }
            var changes: [String] = []
            guard let root = try repairTree(snapshot.tree, path: "/", changes: &changes) else {
                report.unsaveable.append(Unsaveable(snapshot: id.hex, problem: "snapshot \(id.short): its root tree is missing or does not read",
                                                    forgotten: mayForget))
                if mayForget { forget.append(id) }
                continue
            }
            if changes.isEmpty {
                report.intact += 1
                continue
            }
            var repaired = snapshot
            repaired.tree = root
            if !repaired.tags.contains(Self.tag) { repaired.tags.append(Self.tag) }
            pending.append((id, repaired, changes))
            report.repaired.append(Repaired(original: id.hex, repaired: nil, changes: changes, forgotten: mayForget))
        }
        guard !dryRun else { return report }
        // New trees are indexed before any snapshot refers to them, and every repaired snapshot is committed
        // before any original goes.
        try saver?.flush()
        for (i, item) in pending.enumerated() {
            let newID = try repository.saveSnapshot(item.snapshot)
            report.repaired[i].repaired = newID.hex
            if report.repaired[i].forgotten { forget.append(item.original) }
        }
        try repository.forget(forget)
        return report
    }

    /// The id of the tree as repaired (unchanged if it is whole), or nil when it cannot be read at all.
    private func repairTree(_ tree: BlobID, path: String, changes: inout [String]) throws -> BlobID? {
        if intactTrees.contains(tree) { return tree }
        guard let (pack, _) = index.lookup(tree), !missingPacks.contains(pack), let loaded = try? loader!.loadTree(tree) else {
            return nil
        }
        var nodes = loaded.nodes
        let before = changes.count
        for i in nodes.indices {
            let nodePath = (path == "/" ? "/" : path + "/") + nodes[i].name
            switch nodes[i].type {
            case .directory:
                guard let subtree = nodes[i].subtree else { continue }
                if let repaired = try repairTree(subtree, path: nodePath, changes: &changes) {
                    nodes[i].subtree = repaired
                } else {
                    nodes[i].subtree = try save(Tree(nodes: []))
                    changes.append("\(nodePath): its tree is missing; restored as an empty directory")
                }
            case .file:
                let content = nodes[i].content ?? []
                guard let first = content.firstIndex(where: { !isPresent($0) }) else { continue }
                let kept = Array(content[..<first])
                let size = kept.reduce(UInt64(0)) { $0 + UInt64(index.lookup($1)!.entry.rawLength) }
                nodes[i].content = kept
                nodes[i].size = size
                changes.append("\(nodePath): data blob \(content[first].short) is missing; truncated from \(loaded.nodes[i].size) to \(size) bytes")
            case .symlink:
                continue
            }
        }
        if changes.count == before {
            intactTrees.insert(tree)
            return tree
        }
        return try save(Tree(nodes: nodes))
    }

    private func isPresent(_ blob: BlobID) -> Bool {
        guard let (pack, _) = index.lookup(blob) else { return false }
        return !missingPacks.contains(pack)
    }

    /// Stores a rewritten tree; in a dry run nothing is stored and any id serves, since nothing refers to it.
    private func save(_ tree: Tree) throws -> BlobID {
        guard let saver else { return BlobID.zero }
        return try saver.saveTree(tree)
    }
}

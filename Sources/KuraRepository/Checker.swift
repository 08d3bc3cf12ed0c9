import Foundation
import KuraCompression
import KuraSystem
import KuraStorage

/// Checks a repository's structure and, on request, every byte of its packs; reports damage by
/// pack and by the snapshots and paths that depend on it.
public final class Checker {
    public struct DamagedPack: Codable, Sendable {
        public var pack: String
        public var problem: String
        /// Snapshots (short ids) that refer to blobs in this pack.
        public var snapshots: [String]
        /// Paths inside those snapshots whose data or listing is in this pack (at most 20 listed).
        public var paths: [String]
    }

    public struct Report: Codable, Sendable {
        public var errors: [String] = []
        public var warnings: [String] = []
        public var damagedPacks: [DamagedPack] = []
        public var indexFiles = 0
        public var packs = 0
        public var packsRead = 0
        public var blobsRead = 0
        public var snapshots = 0
        public var trees = 0

        public var isHealthy: Bool { errors.isEmpty }

        enum CodingKeys: String, CodingKey {
            case errors, warnings, damagedPacks = "damaged_packs", indexFiles = "index_files", packs,
                 packsRead = "packs_read", blobsRead = "blobs_read", snapshots, trees
        }
    }

    private let repository: Repository
    private var report = Report()
    private var index = MasterIndex()
    private var damaged: [BlobID: String] = [:]
    private var affected: [BlobID: (snapshots: Set<String>, paths: [String])] = [:]

    public init(repository: Repository) {
        self.repository = repository
    }

    /// `readDataFraction`: nil checks structure only; 1.0 reads every pack; 0.1 a random tenth.
    public func run(readDataFraction: Double?) throws -> Report {
        if readDataFraction != nil && repository.isWriteOnly { throw RepositoryError.writeOnly }
        let backend = repository.backend
        checkKeySlots()
        checkIndexFiles(backend)
        let stored = try backend.objectSizes(.data)
        let onDisk = Set(stored.keys)
        report.packs = onDisk.count
        let byPack = try index.entriesByPack()
        for pack in index.packIDs where !onDisk.contains(pack) {
            markDamaged(pack, "pack is missing")
        }
        for pack in index.unrecoveredPacks {
            report.errors.append(repository.isWriteOnly
                ? "pack \(pack) is in no intact index file and a write-only key cannot read its header; run 'kura repair index' with a full key"
                : "pack \(pack) is in no intact index file and its header does not read: its blobs are lost unless the pack is copied back")
        }
        for pack in onDisk.subtracting(index.packIDs).subtracting(index.unrecoveredPacks).sorted() {
            report.warnings.append("pack \(pack) is not in any index (left by an interrupted backup or prune); it is unused and harmless, and kura prune deletes it")
        }
        let local = backend as? LocalBackend
        let leftovers = local.flatMap { try? $0.leftoverTemporaryFiles() } ?? []
        for path in leftovers.map(\.path) where path.hasPrefix((local?.directory(.data) ?? "") + "/.tmp-") {
            let name = path.split(separator: "/").last ?? ""
            report.warnings.append("temporary file data/\(name) was left by an interrupted backup or prune; kura prune removes it once it is a day old")
        }
        for (pack, entries) in byPack where onDisk.contains(pack) {
            let size = Int(stored[pack] ?? 0)
            let end = entries.map { Int($0.offset) + Int($0.length) }.max() ?? 0
            if end + PackFormat.trailerLength > size { markDamaged(pack, "pack is truncated (\(size) bytes, blobs reach \(end))") }
        }
        if let fraction = readDataFraction {
            var packs = byPack.keys.filter { onDisk.contains($0) && damaged[$0] == nil }.sorted()
            if fraction < 1 {
                packs.shuffle()
                packs = Array(packs.prefix(Int((Double(packs.count) * fraction).rounded(.up))))
            }
            try readPacks(packs, entries: byPack)
        }
        if repository.isWriteOnly {
            report.warnings.append("snapshots and trees were not checked: this key is write-only")
        } else {
            try checkSnapshots()
            checkHolds()
        }
        for (pack, problem) in damaged.sorted(by: { $0.key < $1.key }) {
            let hit = affected[pack]
            let snapshots = (hit?.snapshots ?? []).sorted()
            let paths = Array((hit?.paths ?? []).prefix(20))
            report.damagedPacks.append(DamagedPack(pack: pack.hex, problem: problem, snapshots: snapshots, paths: paths))
            let damage = snapshots.isEmpty ? "no snapshot uses it"
                : "damages snapshot\(snapshots.count == 1 ? "" : "s") \(snapshots.joined(separator: ", "))"
                  + (paths.isEmpty ? "" : " (\(paths.prefix(5).joined(separator: ", "))\(paths.count > 5 ? ", ..." : ""))")
            report.errors.append("pack \(pack): \(problem); \(damage)")
        }
        return report
    }

    private func markDamaged(_ pack: BlobID, _ problem: String) {
        if damaged[pack] == nil { damaged[pack] = problem }
    }

    private func checkIndexFiles(_ backend: any Backend) {
        do {
            index = try MasterIndex.load(backend: backend, key: repository.key)
        } catch {
            report.errors.append("cannot read the index files: \(error)")
            return
        }
        report.indexFiles = index.files.count
        for (_, problem) in index.damagedFiles {
            report.errors.append("\(problem); the packs it listed were read from their headers instead; 'kura repair index' rebuilds the index")
        }
    }

    /// Damaged key slots are named; a repository whose intact key slots hold no full key can no longer be read.
    private func checkKeySlots() {
        do {
            let (slots, damaged) = try Repository.readKeySlots(backend: repository.backend)
            for (name, problem) in damaged {
                report.errors.append("key slot keys/\(name) is damaged (\(problem)): its password no longer opens the repository; "
                    + "'kura key remove \(name.prefix(8))' removes it, 'kura key add' makes a new one")
            }
            if !slots.contains(where: { $0.slot.kind == .full }) {
                report.errors.append("no intact full key slot is left (\(slots.count) intact, \(damaged.count) damaged): "
                    + "nothing can restore from this repository unless a full key slot is copied back (a medium's label carries them)")
            }
        } catch {
            report.errors.append("cannot read the key slots: \(error)")
        }
    }

    /// A hold mirrored into the repository expects its snapshot to be there.
    private func checkHolds() {
        do {
            let present = Set(try repository.snapshotIDs().map(\.hex))
            for (_, mirror) in try repository.holdMirrors() where !present.contains(mirror.snapshotID) {
                report.errors.append("snapshot \(mirror.snapshotID.prefix(8)) is missing, but hold \(mirror.hold) (\(mirror.reason), placed by "
                    + "\(mirror.placedBy)) expects it: it was deleted outside kura; copy it back from a medium or another repository")
            }
        } catch {
            report.errors.append("\(error)")
        }
    }

    private func readPacks(_ packs: [BlobID], entries: [BlobID: [PackEntry]]) throws {
        let backend = repository.backend, key = repository.key
        let lock = NSLock()
        try parallelFor(packs.count) { i in
            let pack = packs[i]
            let (problem, blobs) = Self.readPack(pack, entries: entries[pack] ?? [], backend: backend, key: key)
            lock.lock()
            report.packsRead += 1
            report.blobsRead += blobs
            if let problem { markDamaged(pack, problem) }
            lock.unlock()
        }
    }

    /// Reads one whole pack: its name must be its hash, and every blob must decrypt, decompress and match its id.
    private static func readPack(_ pack: BlobID, entries: [PackEntry], backend: any Backend, key: MasterKey) -> (String?, Int) {
        if !backend.readsAreRequests { return readPackInPieces(pack, entries: entries, backend: backend, key: key) }
        let bytes: [UInt8]
        do {
            bytes = try backend.load(.pack(pack))
        } catch {
            return ("cannot be read: \(error)", 0)
        }
        var problems: [String] = []
        if BlobID.ofFile(bytes) != pack { problems.append("its content does not match its name") }
        guard bytes.count >= PackFormat.blobsOffset, let decompressor = try? ZstdDecompressor(),
              let reader = try? PackReader(backend: backend, key: key) else { return ("is truncated", 0) }
        let packKey: [UInt8]
        do {
            packKey = try reader.packKey(pack)
        } catch {
            return ((problems + ["its pack key does not unseal"]).joined(separator: "; "), 0)
        }
        var bad = 0
        for e in entries {
            let end = Int(e.offset) + Int(e.length)
            guard end <= bytes.count else { bad += 1; continue }
            do {
                _ = try PackReader.decode(sealed: Array(bytes[Int(e.offset)..<end]), entry: e, pack: pack, packKey: packKey,
                                          key: key, decompressor: decompressor)
            } catch {
                bad += 1
            }
        }
        if bad > 0 { problems.append("\(bad) of \(entries.count) blobs fail authentication or do not match their ids") }
        return (problems.isEmpty ? nil : problems.joined(separator: "; "), entries.count)
    }

    private func checkSnapshots() throws {
        let loader = try BlobLoader(repository: repository, index: index)
        var goodTrees = Set<BlobID>()
        for id in try repository.snapshotIDs() {
            let snapshot: Snapshot
            do {
                snapshot = try repository.loadSnapshot(id)
            } catch {
                report.errors.append("\(error)")
                continue
            }
            report.snapshots += 1
            if SnapshotEntry(id: id, snapshot: snapshot).isFutureDated(now: Date()) {
                report.errors.append("snapshot \(id.short) is dated \(Snapshot.formatTime(snapshot.time)), more than "
                    + "\(Int(Snapshot.futureSkew / 60)) minutes ahead of this host's clock: it is never 'latest' and no keep rule "
                    + "counts it; either its host's clock is wrong or a write-only key forged it")
            }
            checkTree(snapshot.tree, path: "/", snapshot: id.short, loader: loader, goodTrees: &goodTrees)
        }
    }

    private func attribute(_ blob: BlobID, path: String, snapshot: String) -> Bool {
        guard let (pack, _) = index.lookup(blob) else { return false }
        guard damaged[pack] != nil else { return true }
        var hit = affected[pack] ?? ([], [])
        hit.snapshots.insert(snapshot)
        if !hit.paths.contains(path) { hit.paths.append(path) }
        affected[pack] = hit
        return false
    }

    /// Walks a tree; a tree already seen whole and sound is not walked again (its damage, if any,
    /// was attributed on the first walk, though only to the first snapshot that reached it).
    private func checkTree(_ tree: BlobID, path: String, snapshot: String, loader: BlobLoader, goodTrees: inout Set<BlobID>) {
        if goodTrees.contains(tree) { return }
        guard index.contains(tree) else {
            report.errors.append("snapshot \(snapshot): tree of \(path) is not in the index")
            return
        }
        guard attribute(tree, path: path, snapshot: snapshot) else { return }
        let nodes: [Node]
        do {
            nodes = try loader.loadTree(tree).nodes
            report.trees += 1
        } catch {
            report.errors.append("snapshot \(snapshot): tree of \(path): \(error)")
            return
        }
        var sound = true
        for node in nodes {
            let nodePath = (path == "/" ? "/" : path + "/") + node.name
            switch node.type {
            case .directory:
                if let subtree = node.subtree {
                    checkTree(subtree, path: nodePath, snapshot: snapshot, loader: loader, goodTrees: &goodTrees)
                    if !goodTrees.contains(subtree) { sound = false }
                }
            case .file:
                for blob in node.content ?? [] {
                    if !index.contains(blob) {
                        report.errors.append("snapshot \(snapshot): \(nodePath): data blob \(blob.short) is not in the index")
                        sound = false
                        break
                    }
                    if !attribute(blob, path: nodePath, snapshot: snapshot) { sound = false; break }
                }
            case .symlink:
                break
            }
        }
        if sound { goodTrees.insert(tree) }
    }
}

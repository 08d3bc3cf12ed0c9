import Foundation
@testable import KuraRepository
import KuraStorage
import KuraSystem

/// What a compromised database host can write with nothing but a write-only key slot: packs, index files
/// and snapshots built from the members the slot holds (public key, hash key, index key, gear seed), with
/// any tree and any time it likes. It uses kura's own writer, as an attacker with kura's source would.
struct WriteOnlyForgery {
    let repository: Repository

    init(repo: String, password: String) throws {
        repository = try Repository.open(at: repo, password: password)
        precondition(repository.isWriteOnly, "the forgery must use a write-only key")
    }

    /// A file node holding `content`.
    static func file(_ name: String, content: [BlobID], size: Int, mode: UInt32 = 0o644) -> Node {
        Node(name: name, type: .file, mode: mode, uid: 0, gid: 0, user: nil, group: nil, mtime: 0, ctime: 0,
             inode: 0, device: 0, links: 1, size: UInt64(size), content: content, subtree: nil, target: nil)
    }

    static func directory(_ name: String, subtree: BlobID, mode: UInt32 = 0o777) -> Node {
        Node(name: name, type: .directory, mode: mode, uid: 0, gid: 0, user: nil, group: nil, mtime: 0, ctime: 0,
             inode: 0, device: 0, links: 1, size: 0, content: nil, subtree: subtree, target: nil)
    }

    static func symlink(_ name: String, target: String) -> Node {
        Node(name: name, type: .symlink, mode: 0o777, uid: 0, gid: 0, user: nil, group: nil, mtime: 0, ctime: 0,
             inode: 0, device: 0, links: 1, size: 0, content: nil, subtree: nil, target: target)
    }

    /// Writes `build`'s trees and data into a new pack and index file, then a snapshot of the root tree it returns.
    @discardableResult
    func snapshot(time: Date = Date(), hostname: String, paths: [String],
                  build: (_ saveData: ([UInt8]) throws -> BlobID, _ saveTree: ([Node]) throws -> BlobID) throws -> BlobID) throws -> BlobID {
        let saver = try BlobSaver(repository: repository, index: try repository.loadIndex())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Trees go in as raw blobs, in the order given: no sorting, no checks, duplicates allowed.
        let root = try build({ try saver.save([$0], type: .data)[0] },
                             { try saver.save([Array(try encoder.encode(Tree(nodes: $0)))], type: .tree)[0] })
        try saver.flush()
        let snapshot = Snapshot(time: time, hostname: hostname, username: "attacker", paths: paths, tags: [], tree: root,
                                program: "kura", summary: nil)
        return try repository.saveSnapshot(snapshot)
    }
}

import KuraMedia

extension WriteOnlyForgery {
    /// A medium holding the forged snapshot `id`, written as `kura media write` would write it had it not
    /// refused: the export plan is put together by hand from the index, so no tree is read on the way.
    /// (This is what a hostile writer of media, or a tape from elsewhere, could hand a restore.)
    static func writeMedium(repo: String, fullPassword: String, snapshot id: BlobID, serial: String, device: String) throws {
        let repository = try Repository.open(at: repo, password: fullPassword)
        let index = try repository.loadIndex()
        let entry = try repository.resolveSnapshot(String(id.hex.prefix(16)))
        guard let (pack, _) = index.lookup(entry.snapshot.tree) else { throw RepositoryError(.damaged, "forged tree not indexed") }
        let entries = try index.entriesByPack(only: [pack])[pack] ?? []
        let size = Int(try repository.backend.stat(.pack(pack))?.size ?? 0)
        let plan = ExportPlan(snapshots: [(id, try repository.backend.load(.snapshot(id)))],
                              packs: [(pack, size)],
                              trees: [ExportPlan.TreeBlobs(pack: pack, entries: entries.filter { $0.type == .tree }.sorted { $0.offset < $1.offset })],
                              indexFile: try IndexFile(packs: [(pack, entries)]).encode(key: repository.key),
                              sources: entry.snapshot.paths)
        let writer = MediumWriter(serial: serial, barcode: nil, writtenBy: "mallory", retainUntil: Date() + 86400)
        let label = try writer.label(for: plan, snapshots: [entry], repository: repository)
        try writer.write(plan, label: label, repository: repository, to: device, at: .start)
    }
}

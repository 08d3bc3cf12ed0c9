import Foundation
import Testing
@testable import KuraRepository
import KuraStorage
import KuraSystem
import KuraCrypto

/// A repository with 1 MiB packs and six daily backups of a source where day d holds u_d (200 kB, one chunk) and
/// v_d (700 kB), new that day so they share day d's pack, and u_{d-1} again. Forgetting days 0, 2 and 4 leaves v_0, v_2, v_4 and those days'
/// trees unused, in packs whose u is still used (so they are repacked), and a seventh snapshot of its own data
/// whose pack becomes wholly unused.
final class PruneScratch {
    let root: String
    var path: String { root + "/repo" }
    let password = "prune"
    private(set) var snapshots: [(id: BlobID, source: String)] = []
    /// The files each snapshot holds, by name.
    private(set) var contents: [BlobID: [String: [UInt8]]] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kura-prune-\(UUID().uuidString.prefix(8))").path
        try Repository.initialize(at: path, password: password, packSize: 1 << 20)
        let repo = try open()
        #expect(repo.config.packSize == 1 << 20)
        var previous: [UInt8]?
        for day in 0..<6 {
            var files = ["u": RandomBytes.generate(200_000), "v": RandomBytes.generate(700_000)]
            if let previous { files["u-before"] = previous }
            previous = files["u"]
            try backup(files, into: root + "/day\(day)", repo: repo)
        }
        try backup(["alone": RandomBytes.generate(300_000)], into: root + "/other", repo: repo)
    }

    private func backup(_ files: [String: [UInt8]], into directory: String, repo: Repository) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        let made = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [directory])
        snapshots.append((made.id, directory))
        contents[made.id] = files
    }

    func open(at path: String? = nil) throws -> Repository { try Repository.open(at: path ?? self.path, password: password) }

    /// Forgets days 0, 2, 4 and the seventh snapshot; returns the snapshots kept.
    func forgetHalf() throws -> [BlobID] {
        let forgotten = [0, 2, 4, 6].map { snapshots[$0].id }
        try open().forget(forgotten)
        return snapshots.map(\.id).filter { !forgotten.contains($0) }
    }

    /// A copy of the repository directory, for one crash experiment.
    func copy(_ name: String) throws -> String {
        let target = root + "/" + name
        try FileManager.default.copyItem(atPath: path, toPath: target)
        return target
    }

    /// Checks every blob and restores every snapshot in `ids` byte for byte.
    func expectHealthy(_ path: String, keeping ids: [BlobID], sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectHealthy(try open(at: path), keeping: ids, sourceLocation: sourceLocation)
    }

    /// The same with a repository already open (opening derives the key with Argon2id, which takes a while).
    func expectHealthy(_ repo: Repository, keeping ids: [BlobID], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = try Checker(repository: repo).run(readDataFraction: 1)
        #expect(report.isHealthy, "\(report.errors)", sourceLocation: sourceLocation)
        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        for id in ids {
            let target = root + "/restore-\(UUID().uuidString.prefix(6))"
            let snapshot = try repo.loadSnapshot(id)
            try Restorer(loader: loader, includes: []).restore(snapshot, to: target)
            let source = snapshots.first { $0.id == id }!.source
            for (name, bytes) in contents[id]! {
                #expect(FileManager.default.contents(atPath: target + source + "/" + name) == Data(bytes),
                        "snapshot \(id.short) \(name)", sourceLocation: sourceLocation)
            }
            try FileManager.default.removeItem(atPath: target)
        }
    }

    static func size(of path: String) -> Int {
        var total = 0
        let walker = FileManager.default.enumerator(atPath: path)!
        while let name = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { total += walker.fileAttributes?[.size] as? Int ?? 0 }
        }
        return total
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Bails out of prune at a chosen step, as a crash would (the SIGKILL version is the end-to-end test).
struct StopAtStep: Error {}

@Suite struct PrunerTests {
    @Test func pruneDeletesUnusedPacksRepacksPartlyUsedOnesAndKeepsEverySnapshot() throws {
        let scratch = try PruneScratch()
        let kept = try scratch.forgetHalf()
        let before = PruneScratch.size(of: scratch.path)
        let repo = try scratch.open()
        let indexBefore = try repo.backend.ids(.index)

        let dry = try Pruner(repository: repo).run(.init(dryRun: true))
        #expect(PruneScratch.size(of: scratch.path) == before)
        #expect(dry.packsDeleted == 1 && dry.packsRepacked == 3)

        let report = try Pruner(repository: repo).run(.init())
        #expect(report.snapshots == 3)
        #expect(report.packsBefore == 7)
        #expect(report.packsDeleted == 1)
        #expect(report.packsRepacked == 3)
        #expect(report.packsWritten == 1)
        #expect(report.packsAfter == 4)
        #expect(report.indexFilesDeleted == indexBefore.count)
        #expect(report.unusedBytesAfter < 10_000)
        let after = PruneScratch.size(of: scratch.path)
        // v_0, v_2, v_4 (700 kB each) and the seventh snapshot's 300 kB are gone.
        #expect(before - after > 2_300_000, "\(before) -> \(after)")
        #expect(Int64(before - after) > report.bytesBefore - report.bytesAfter - 10_000)

        let indexAfter = try repo.backend.ids(.index)
        #expect(indexAfter.count == 1 && Set(indexAfter).isDisjoint(with: indexBefore))
        #expect(try IndexFile.read(backend: repo.backend, id: indexAfter[0], key: repo.key).supersedes.sorted() == indexBefore.sorted())
        try scratch.expectHealthy(scratch.path, keeping: kept)

        // Nothing left to do: a second prune changes nothing.
        let again = try Pruner(repository: try scratch.open()).run(.init())
        #expect(again.packsDeleted == 0 && again.packsRepacked == 0 && again.indexFilesWritten == 0)
        #expect(PruneScratch.size(of: scratch.path) == after)
    }

    @Test func maxUnusedDecidesWhichPacksAreRepacked() throws {
        let scratch = try PruneScratch()
        _ = try scratch.forgetHalf()
        let unlimited = try Pruner(repository: try scratch.open()).run(.init(maxUnused: 1, dryRun: true))
        #expect(unlimited.packsRepacked == 0 && unlimited.packsDeleted == 1)
        // Each partly used pack is about 78 % unused (v and the trees of 900 kB).
        let strict = try Pruner(repository: try scratch.open()).run(.init(maxUnused: 0.7, dryRun: true))
        #expect(strict.packsRepacked == 3)
        let lax = try Pruner(repository: try scratch.open()).run(.init(maxUnused: 0.85, dryRun: true))
        #expect(lax.packsRepacked == 0)
    }

    @Test func pruneStoppedAtAnyStepLeavesAHealthyRepository() throws {
        let scratch = try PruneScratch()
        let kept = try scratch.forgetHalf()
        var steps: [String] = []
        let counter = Pruner(repository: try scratch.open(at: try scratch.copy("count")))
        counter.onStep = { steps.append($0) }
        let full = try counter.run(.init())
        #expect(steps.count > 12, "\(steps)")
        #expect(steps.contains { $0.hasPrefix("wrote index file") } && steps.contains { $0.hasPrefix("deleted pack") })

        for stop in 1..<steps.count {
            let path = try scratch.copy("stop-\(stop)")
            let repo = try scratch.open(at: path)
            let pruner = Pruner(repository: repo)
            var count = 0
            pruner.onStep = { _ in
                count += 1
                if count == stop { throw StopAtStep() }
            }
            #expect(throws: StopAtStep.self) { try pruner.run(.init()) }
            try scratch.expectHealthy(repo, keeping: kept)
            // The next prune finishes the job.
            let finish = try Pruner(repository: repo).run(.init())
            #expect(finish.packsAfter == full.packsAfter, "stopped after step \(stop) (\(steps[stop - 1]))")
            try scratch.expectHealthy(repo, keeping: kept)
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test func pruneRefusesWhenASnapshotCannotBeRead() throws {
        let scratch = try PruneScratch()
        let repo = try scratch.open()
        let index = try repo.loadIndex()
        let tree = try repo.loadSnapshot(scratch.snapshots[5].id).tree
        let (pack, _) = try #require(index.lookup(tree))
        try repo.backend.remove(.pack(pack))
        let packsBefore = try repo.backend.ids(.data).count
        let error = #expect(throws: RepositoryError.self) { try Pruner(repository: repo).run(.init()) }
        #expect(error?.message.contains("prune stopped, nothing was deleted") == true)
        #expect(try repo.backend.ids(.data).count == packsBefore)
    }

    @Test func pruneRemovesOldTemporaryFilesOnly() throws {
        let scratch = try PruneScratch()
        let repo = try scratch.open()
        let old = (repo.backend as! LocalBackend).directory(.data) + "/.tmp-0123456789abcdef0123456789abcdef"
        let young = (repo.backend as! LocalBackend).directory(.data) + "/.tmp-fedcba9876543210fedcba9876543210"
        let oldIndex = (repo.backend as! LocalBackend).directory(.index) + "/" + String(repeating: "a", count: 64) + ".tmp-0011223344556677"
        for file in [old, young, oldIndex] { try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file)) }
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        for file in [old, oldIndex] { try FileManager.default.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: file) }
        let report = try Pruner(repository: repo).run(.init())
        #expect(report.temporaryFilesRemoved == 2)
        #expect(!FileManager.default.fileExists(atPath: old) && !FileManager.default.fileExists(atPath: oldIndex))
        #expect(FileManager.default.fileExists(atPath: young))
    }

    @Test func writeOnlyKeysCannotPrune() throws {
        let scratch = try PruneScratch()
        _ = try scratch.open().addKey(password: "writer", writeOnly: true)
        let writer = try Repository.open(at: scratch.path, password: "writer")
        let error = #expect(throws: RepositoryError.self) { try Pruner(repository: writer).run(.init()) }
        #expect(error?.code == .writeOnlyKey)
    }
}

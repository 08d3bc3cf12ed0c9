import Foundation
import Testing
@testable import KuraRepository
import KuraStorage
import KuraSystem
import KuraCrypto

/// A repository in a fresh temporary directory.
final class ScratchRepository {
    let root: String
    let repository: Repository

    init(password: String = "correct horse", packSize: Int = 16 << 20) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kura-unit-\(UUID().uuidString.prefix(8))").path
        repository = try Repository.initialize(at: root + "/repo", password: password, packSize: packSize)
    }

    var path: String { root + "/repo" }

    func makeSource(_ files: [String: [UInt8]]) throws -> String {
        let dir = root + "/source"
        for (name, bytes) in files {
            let url = URL(fileURLWithPath: dir + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return dir
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

@Suite struct RepositoryTests {
    @Test func wrongPasswordAndMissingRepositoryHaveTheirOwnCodes() throws {
        let scratch = try ScratchRepository()
        let wrong = #expect(throws: RepositoryError.self) { try Repository.open(at: scratch.path, password: "nope") }
        #expect(wrong?.code == .wrongPassword)
        let missing = #expect(throws: RepositoryError.self) { try Repository.open(at: scratch.root + "/none", password: "x") }
        #expect(missing?.code == .repositoryNotFound)
        #expect(try Repository.open(at: scratch.path, password: "correct horse").id == scratch.repository.id)
    }

    @Test func backupRestoresAndDeduplicates() throws {
        let scratch = try ScratchRepository()
        let big = RandomBytes.generate(5 << 20)
        let source = try scratch.makeSource(["a/big.bin": big, "a/empty": [], "b/text.txt": Array("hello 世界\n".utf8)])
        let repo = scratch.repository
        let first = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [source])
        #expect(first.snapshot.summary?.bytesNew ?? 0 >= Int64(big.count))
        let second = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [source])
        #expect(second.snapshot.summary?.bytesNew ?? -1 < 4096)

        let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
        let target = scratch.root + "/restore"
        try Restorer(loader: loader, includes: []).restore(second.snapshot, to: target)
        #expect(FileManager.default.contents(atPath: target + source + "/a/big.bin") == Data(big))
        #expect(FileManager.default.contents(atPath: target + source + "/a/empty") == Data())
        #expect(String(decoding: FileManager.default.contents(atPath: target + source + "/b/text.txt")!, as: UTF8.self) == "hello 世界\n")
    }

    @Test func writeOnlyKeyBacksUpButCannotRead() throws {
        let scratch = try ScratchRepository()
        let slot = try scratch.repository.addKey(password: "writer", writeOnly: true)
        #expect(!slot.isEmpty)
        let writer = try Repository.open(at: scratch.path, password: "writer")
        #expect(writer.isWriteOnly)
        let source = try scratch.makeSource(["f": Array(repeating: 7, count: 100_000)])
        let made = try Archiver(repository: writer, index: try writer.loadIndex(), cache: .disabled, options: .init()).backup(paths: [source])
        let denied = #expect(throws: RepositoryError.self) { try writer.resolveSnapshot(made.id.hex) }
        #expect(denied?.code == .writeOnlyKey)
        #expect(throws: RepositoryError.self) { try BlobLoader(repository: writer, index: try writer.loadIndex()) }
        // The full key reads what the write-only key wrote.
        #expect(try scratch.repository.resolveSnapshot(made.id.short).id == made.id)
    }

    @Test func checkReadDataNamesTheDamagedPackAndSnapshot() throws {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let one = try scratch.makeSource(["one/data": RandomBytes.generate(200_000)])
        let first = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [one + "/one"])
        let packsBefore = Set(try repo.backend.ids(.data))
        _ = try scratch.makeSource(["two/data": RandomBytes.generate(200_000)])
        let second = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [one + "/two"])
        let newPack = try #require(Set(try repo.backend.ids(.data)).subtracting(packsBefore).first)
        #expect(try Checker(repository: repo).run(readDataFraction: 1).isHealthy)

        let path = (repo.backend as! LocalBackend).path(.pack(newPack))
        var bytes = try Posix.readFile(path)
        bytes[PackFormat.blobsOffset + 100] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let structural = try Checker(repository: repo).run(readDataFraction: nil)
        #expect(structural.isHealthy)
        let report = try Checker(repository: repo).run(readDataFraction: 1)
        #expect(!report.isHealthy)
        #expect(report.damagedPacks.map(\.pack) == [newPack.hex])
        #expect(report.damagedPacks.first?.snapshots == [second.id.short])
        #expect(!(report.damagedPacks.first?.snapshots.contains(first.id.short) ?? true))
    }
}

import Foundation
import Testing
@testable import KuraRepository
import KuraStorage
import KuraSystem

/// `check --read-data` on a local repository reads each pack blob by blob (`readPackInPieces`) and must
/// find what a whole read finds: a changed byte anywhere, a blob that fails, a pack cut short.
@Suite struct CheckReadDataTests {
    private func random(_ count: Int) -> [UInt8] {
        [UInt8](FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: count))
    }

    /// A repository with one pack of several blobs, and that pack's path.
    private func onePack() throws -> (ScratchRepository, String, Int) {
        let scratch = try ScratchRepository()
        let repo = scratch.repository
        let source = try scratch.makeSource(["a": random(1_500_000), "b": random(900_000)])
        _ = try Archiver(repository: repo, index: try repo.loadIndex(), cache: .disabled, options: .init()).backup(paths: [source])
        let packs = try repo.backend.ids(.data)
        #expect(packs.count == 1)
        let entries = try repo.loadIndex().entriesByPack()[packs[0]] ?? []
        #expect(entries.count >= 3)
        return (scratch, (repo.backend as! LocalBackend).path(.pack(packs[0])), entries.count)
    }

    private func problem(_ scratch: ScratchRepository) throws -> String? {
        let report = try Checker(repository: scratch.repository).run(readDataFraction: 1)
        return report.damagedPacks.first?.problem
    }

    private func change(_ path: String, _ edit: (inout [UInt8]) -> Void) throws {
        var bytes = try Posix.readFile(path)
        edit(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func anIntactPackHasNoProblem() throws {
        let (scratch, _, _) = try onePack()
        let report = try Checker(repository: scratch.repository).run(readDataFraction: 1)
        #expect(report.isHealthy)
        #expect(report.packsRead == 1)
    }

    @Test func aByteChangedInABlobFailsItAndTheName() throws {
        let (scratch, path, count) = try onePack()
        try change(path) { $0[PackFormat.blobsOffset + 1000] ^= 0x01 }
        let found = try #require(try problem(scratch))
        #expect(found.contains("its content does not match its name"), "\(found)")
        #expect(found.contains("1 of \(count) blobs fail authentication"), "\(found)")
    }

    @Test func aByteChangedInTheHeaderFailsTheNameOnly() throws {
        let (scratch, path, _) = try onePack()
        try change(path) { $0[$0.count - PackFormat.trailerLength - 5] ^= 0x80 }
        let found = try #require(try problem(scratch))
        #expect(found == "its content does not match its name", "\(found)")
    }

    @Test func aByteChangedInThePackKeyFailsEveryBlob() throws {
        let (scratch, path, _) = try onePack()
        try change(path) { $0[20] ^= 0x01 }
        let found = try #require(try problem(scratch))
        #expect(found.contains("its content does not match its name") && found.contains("its pack key does not unseal"), "\(found)")
    }

    @Test func aPackCutShortIsFound() throws {
        let (scratch, path, _) = try onePack()
        try change(path) { $0.removeLast($0.count / 2) }
        let found = try #require(try problem(scratch))
        #expect(found.contains("truncated"), "\(found)")
    }
}

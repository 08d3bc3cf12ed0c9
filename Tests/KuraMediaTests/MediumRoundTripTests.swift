import Foundation
import Testing
@testable import KuraMedia
import KuraRepository

@Suite struct MediumRoundTripTests {
    /// A repository with one stream snapshot, written to a medium file.
    func writeMedium(_ payload: [UInt8]) throws -> (dir: String, device: String, snapshot: BlobID) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kura-media-unit-\(UUID().uuidString.prefix(8))").path
        let repo = try Repository.initialize(at: dir + "/repo", password: "pw")
        let input = dir + "/input"
        try Data(payload).write(to: URL(fileURLWithPath: input))
        let saved = try StreamArchiver(repository: repo, index: try repo.loadIndex(), tags: [], hostname: "unit")
            .backup([.command(name: "data.bin", commandLine: "cat '\(input)'")])
        let entry = try repo.resolveSnapshot(saved.id.hex)
        let plan = try repo.planExport([entry], index: try repo.loadIndex())
        let writer = MediumWriter(serial: "UNIT1", barcode: nil, writtenBy: "unit", retainUntil: Date())
        let label = try writer.label(for: plan, snapshots: [entry], repository: repo)
        try writer.write(plan, label: label, repository: repo, to: dir + "/medium.tar", at: .start)
        return (dir, dir + "/medium.tar", saved.id)
    }

    @Test func streamComesBackInOrderAndLabelNeedsNoPassword() throws {
        var payload = [UInt8]()
        for i in 0..<400_000 { payload.append(contentsOf: Array("line \(i) 山田\n".utf8)) }
        let (dir, device, id) = try writeMedium(payload)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let label = try MediumInspector.firstLabel(device: device)
        #expect(label.serial == "UNIT1" && label.snapshots.map(\.id) == [id.hex] && label.keySlots.count == 1)

        let out = dir + "/out"
        FileManager.default.createFile(atPath: out, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        _ = try MediumRestore(device: device).restore(id.short, password: "pw", to: .stream(name: "data.bin", output: handle.fileDescriptor))
        try handle.close()
        #expect(FileManager.default.contents(atPath: out) == Data(payload))

        let wrong = #expect(throws: RepositoryError.self) {
            try MediumRestore(device: device).restore("latest", password: "nope", to: .directory(dir + "/r", IncludeFilter([])))
        }
        #expect(wrong?.code == .wrongPassword)
    }

    @Test func verifierFindsAFlippedByteAndAForeignFileIsNoMedium() throws {
        let (dir, device, _) = try writeMedium(Array(repeating: 0x41, count: 2_000_000) + (0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 * 7919 >> 3) })
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try MediumVerifier.verify(device: device, password: "pw").passed)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: device))
        let size = bytes.count
        // The first pack's magic; 200 bytes on is inside its first blob.
        let packStart = try #require(bytes.firstRange(of: Data("KURAPK01".utf8))?.lowerBound)
        bytes[packStart + 200] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: device))
        let report = try MediumVerifier.verify(device: device, password: "pw")
        #expect(!report.passed)
        #expect(report.problems.contains { $0.contains("pack") })

        // A flipped byte in the padding after the archive makes the tar structure itself damaged: still a failure, not a crash.
        bytes[packStart + 200] ^= 0x10
        bytes[size - 100] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: device))
        #expect(!(try MediumVerifier.verify(device: device, password: "pw").passed))

        let foreign = dir + "/foreign"
        try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: foreign))
        let error = #expect(throws: MediaError.self) { try MediumInspector.firstLabel(device: foreign) }
        #expect(error?.code == .notKuraMedium)
    }
}

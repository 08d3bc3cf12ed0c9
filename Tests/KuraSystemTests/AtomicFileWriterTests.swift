import Foundation
import Glibc
import Testing
@testable import KuraSystem

/// A file replaced in one rename, or not at all.
@Suite struct AtomicFileWriterTests {
    private static func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "kura-atomic-\(Posix.randomHex(6))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map(Array.init) }

    private static func contents(of fd: Int32) throws -> [UInt8] {
        let size = Int(try Posix.fstat(fd, path: "descriptor").st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        try bytes.withUnsafeMutableBytes { try Posix.preadFully(fd, into: $0, offset: 0, path: "descriptor") }
        return bytes
    }

    @Test func pathKeepsTheOldContentUntilCommitAndNothingIsLeftBeside() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        try Posix.writeFileAtomically(path, Array("old".utf8))

        let writer = try AtomicFileWriter(path)
        try Array("new".utf8).withUnsafeBytes { try writer.append($0) }
        #expect(Self.contents(path) == Array("old".utf8))
        try writer.commit()
        #expect(Self.contents(path) == Array("new".utf8))

        let abandoned = try AtomicFileWriter(path)
        try Array("lost".utf8).withUnsafeBytes { try abandoned.append($0) }
        abandoned.abandon()
        #expect(Self.contents(path) == Array("new".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file"])
    }

    /// The descriptor is of the file this writer committed, even once another file has been renamed over `path`
    /// (another process rewriting the same cache).
    @Test func theDescriptorReturnedReadsWhatWasCommittedNotWhatIsAtThePathLater() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        let mine = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }

        let writer = try AtomicFileWriter(path)
        try mine.withUnsafeBytes { try writer.append($0) }
        let fd = try writer.commitOpeningForReading()
        defer { Posix.close(fd) }
        #expect(fcntl(fd, F_GETFL) & O_ACCMODE == O_RDONLY)
        #expect(Self.contents(path) == mine)

        try Posix.writeFileAtomically(path, Array("someone else's".utf8))
        #expect(try Self.contents(of: fd) == mine)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file"])
    }
}

import Foundation
import Glibc
import Testing
@testable import KuraSystem

@Suite struct DirectFileReaderTests {
    /// 3 read-ahead buffers and a bit, ending off a block boundary.
    static let size = 3 * DirectFileReader.bufferSize + 5 * 4096 + 123

    static func content(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// A file with `bytes`, out of the page cache unless `cached` (a file just written is in it,
    /// and the reader then reads as before).
    static func withFile<R>(_ bytes: [UInt8], cached: Bool = false, _ body: (Int32) throws -> R) throws -> R {
        let path = FileManager.default.currentDirectoryPath + "/.direct-reader-\(Posix.randomHex(6))"
        try Posix.writeFileAtomically(path, bytes)
        defer { try? Posix.unlink(path) }
        let fd = try Posix.open(path, O_RDONLY)
        defer { Posix.close(fd) }
        if !cached { #expect(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) }
        return try body(fd)
    }

    /// Reads everything, asking for `step` bytes at a time.
    static func readAll(_ read: (UnsafeMutableRawBufferPointer) throws -> Int, step: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: step)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try read($0) }
            if n == 0 { return out }
            out += buffer[..<n]
        }
    }

    @Test(arguments: [1, 4095, 128 << 10, 5 << 20])
    func readsTheWholeFileWhateverTheStep(step: Int) throws {
        let bytes = Self.content(Self.size)
        try Self.withFile(bytes) { fd in
            let read = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: step) }
            #expect(read == bytes)
            #expect(lseek(fd, 0, SEEK_CUR) == off_t(bytes.count))
        }
    }

    /// Many more buffers than there are, read by several threads at once and handed on in order: ending on a
    /// buffer's boundary, a block's, or neither.
    @Test(arguments: [9 * DirectFileReader.bufferSize, 9 * DirectFileReader.bufferSize + 4096,
                      9 * DirectFileReader.bufferSize + 12_345, DirectFileReader.bufferSize - 1])
    func aLongFileComesInOrderFromSeveralReaders(size: Int) throws {
        let bytes = Self.content(size)
        try Self.withFile(bytes) { fd in
            #expect(DirectFileReader.readers > 1)
            let read = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: 128 << 10) }
            #expect(read.count == bytes.count)
            #expect(read == bytes)
            #expect(lseek(fd, 0, SEEK_CUR) == off_t(bytes.count))
        }
    }

    @Test func opensDirectlyOnThisFileSystem() throws {
        // The project's checkout is on ext4 here; where a file system refuses O_DIRECT the reader
        // falls back, which the other tests cover.
        try Self.withFile(Self.content(8192)) { fd in
            guard let reader = DirectFileReader.open(fd, path: "test") else {
                let probe = Glibc.open("/proc/self/fd/\(fd)", O_RDONLY | DirectFileReader.directFlag)
                #expect(probe < 0, "O_DIRECT works here, yet the reader did not use it")
                if probe >= 0 { Glibc.close(probe) }
                return
            }
            reader.close()
        }
    }

    @Test func aFileInThePageCacheIsReadFromThere() throws {
        let bytes = Self.content(Self.size)
        try Self.withFile(bytes, cached: true) { fd in
            #expect(DirectFileReader.residentFraction(fd, from: 0, to: bytes.count) > 0.9)
            #expect(DirectFileReader.open(fd, path: "test") == nil)
            let read = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: 128 << 10) }
            #expect(read == bytes)
        }
        try Self.withFile(bytes) { fd in
            #expect(DirectFileReader.residentFraction(fd, from: 0, to: bytes.count) < 0.1)
        }
    }

    @Test func startsAtTheSourcesOffsetAndLeavesItWhereReadingStopped() throws {
        let bytes = Self.content(Self.size)
        try Self.withFile(bytes) { fd in
            lseek(fd, 8192, SEEK_SET)
            let head = try DirectFileReader.reading(fd, path: "test") { read in
                var buffer = [UInt8](repeating: 0, count: 1000)
                let n = try buffer.withUnsafeMutableBytes { try read($0) }
                return Array(buffer[..<n])
            }
            #expect(head == Array(bytes[8192..<9192]))
            #expect(lseek(fd, 0, SEEK_CUR) == 9192)
            let rest = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: 100_000) }
            #expect(rest == Array(bytes[9192...]))
        }
    }

    @Test func anOffsetOffTheBlockBoundaryIsReadAsBefore() throws {
        let bytes = Self.content(100_000)
        try Self.withFile(bytes) { fd in
            lseek(fd, 100, SEEK_SET)
            #expect(DirectFileReader.open(fd, path: "test") == nil)
            let rest = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: 7000) }
            #expect(rest == Array(bytes[100...]))
        }
    }

    @Test func aPipeIsReadAsBefore() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { Posix.close(ends[0]) }
        let bytes = Self.content(50_000)
        try bytes.withUnsafeBytes { try Posix.writeFully(ends[1], $0, path: "pipe") }
        Posix.close(ends[1])
        #expect(DirectFileReader.open(ends[0], path: "pipe") == nil)
        let read = try DirectFileReader.reading(ends[0], path: "pipe") { try Self.readAll($0, step: 4096) }
        #expect(read == bytes)
    }

    @Test func anEmptyFileEndsAtOnce() throws {
        try Self.withFile([]) { fd in
            let read = try DirectFileReader.reading(fd, path: "test") { try Self.readAll($0, step: 4096) }
            #expect(read.isEmpty)
        }
    }
}

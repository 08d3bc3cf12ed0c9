import Foundation
import Testing
@testable import KuraCrypto

/// Keyed BLAKE3 against the official test vectors and the official implementation, at every level this
/// CPU runs, and the levels against each other around the boundaries where their code paths change.
@Suite struct Blake3Tests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources")
    static let key = Array("whats the Elvish word for friend".utf8)
    static let levels = Blake3.Level.allCases.filter(Blake3.isSupported)

    /// Lines "length hex" of a resource file, comment lines skipped.
    static func cases(_ file: String) throws -> [(length: Int, hash: String)] {
        try String(contentsOf: resources.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { line in
                let fields = line.split(separator: " ")
                return (Int(fields[0])!, String(fields[1].prefix(2 * Blake3.outputBytes)))
            }
    }

    static func pattern(_ length: Int) -> [UInt8] { (0..<length).map { UInt8($0 % 251) } }

    @Test func thisCPURunsTheLevelsItClaims() {
        #expect(Blake3.isSupported(.portable))
        #expect(Self.levels.contains(Blake3.bestLevel))
        #expect(Self.levels.last == Blake3.bestLevel)
    }

    @Test func officialKeyedHashVectorsAtEveryLevel() throws {
        let vectors = try Self.cases("blake3-keyed-vectors.txt")
        #expect(vectors.count == 35)
        for vector in vectors {
            let message = Self.pattern(vector.length)
            for level in Self.levels {
                let digest = try #require(Blake3.keyedHash(key: Self.key, message: message, level: level))
                #expect(Hex.encode(digest) == vector.hash, "length \(vector.length) at \(level)")
            }
            #expect(Hex.encode(Blake3.keyedHash(key: Self.key, message: message)) == vector.hash, "length \(vector.length)")
        }
    }

    /// The official vectors stop at 100 chunks; these lengths cross kura's 256-chunk groups and reach 4 MiB.
    @Test func largeMessagesMatchTheOfficialImplementation() throws {
        let cases = try Self.cases("blake3-keyed-large.txt")
        #expect(cases.count == 13)
        let longest = Self.pattern(cases.map(\.length).max()!)
        for item in cases {
            let message = Array(longest[..<item.length])
            for level in Self.levels {
                let digest = try #require(Blake3.keyedHash(key: Self.key, message: message, level: level))
                #expect(Hex.encode(digest) == item.hash, "length \(item.length) at \(level)")
            }
        }
    }

    /// Random messages one byte either side of every boundary where the work is split differently:
    /// a chunk (1 KiB), a block within it, an SSE4.1 batch (4 chunks), an AVX2 batch (8), an AVX-512 batch
    /// (16), a group (256).
    @Test func levelsAgreeAroundChunkAndBatchBoundaries() throws {
        var lengths: Set<Int> = [0, 1, 63, 64, 65]
        for chunks in [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 255, 256, 257, 511, 512, 513, 1024] {
            for delta in [-65, -64, -1, 0, 1, 64] { lengths.insert(chunks * 1024 + delta) }
        }
        for _ in 0..<20 { lengths.insert(Int.random(in: 1...(3 << 20))) }
        let key = RandomBytes.generate(Blake3.keyBytes)
        let longest = RandomBytes.generate(lengths.max()!)
        for length in lengths.sorted() {
            let message = Array(longest[..<length])
            let portable = try #require(Blake3.keyedHash(key: key, message: message, level: .portable))
            for level in Self.levels {
                #expect(Blake3.keyedHash(key: key, message: message, level: level) == portable, "length \(length) at \(level)")
            }
        }
    }

    @Test func theKeyAndEveryByteMatter() {
        var message = RandomBytes.generate(5000)
        let key = RandomBytes.generate(32)
        let digest = Blake3.keyedHash(key: key, message: message)
        #expect(Blake3.keyedHash(key: RandomBytes.generate(32), message: message) != digest)
        message[4999] ^= 1
        #expect(Blake3.keyedHash(key: key, message: message) != digest)
    }
}

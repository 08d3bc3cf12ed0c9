import Testing
@testable import KuraRepository
import KuraCrypto

@Suite struct ChunkerTests {
    let parameters = RepositoryConfig.Chunker(minSize: 16 << 10, averageSize: 64 << 10, maxSize: 256 << 10)

    func chunks(_ data: [UInt8], seed: [UInt8]) throws -> [[UInt8]] {
        let chunker = try Chunker(parameters: parameters, gearSeed: seed)
        var stream = ChunkStream(chunker: chunker)
        defer { stream.deallocate() }
        var offset = 0
        var out: [[UInt8]] = []
        while let c = try stream.next(read: { buf in
            let n = min(buf.count, data.count - offset, 100_000)
            data[offset..<(offset + n)].withUnsafeBytes { buf.copyMemory(from: $0) }
            offset += n
            return n
        }) { out.append(c) }
        return out
    }

    @Test func chunksReassembleAndRespectBounds() throws {
        let data = RandomBytes.generate(3 << 20)
        let pieces = try chunks(data, seed: RandomBytes.generate(32))
        #expect(Array(pieces.joined()) == data)
        for piece in pieces.dropLast() {
            #expect(piece.count >= parameters.minSize && piece.count <= parameters.maxSize)
        }
        let average = data.count / pieces.count
        #expect(average > parameters.minSize && average < parameters.maxSize)
    }

    @Test func boundariesResynchronizeAfterAnInsertion() throws {
        let seed = RandomBytes.generate(32)
        let data = RandomBytes.generate(2 << 20)
        var edited = data
        edited.insert(contentsOf: Array("INSERTED ROW".utf8), at: 300_000)
        let a = Set(try chunks(data, seed: seed).map { Blake2b.hash256($0) })
        let b = try chunks(edited, seed: seed).map { Blake2b.hash256($0) }
        let shared = b.filter { a.contains($0) }.count
        #expect(shared >= b.count - 3)
    }

    @Test func secretGearTableChangesBoundaries() throws {
        let data = RandomBytes.generate(1 << 20)
        let a = try chunks(data, seed: RandomBytes.generate(32)).map(\.count)
        let b = try chunks(data, seed: RandomBytes.generate(32)).map(\.count)
        #expect(a != b)
    }

    /// Chunk lengths found by feeding `Chunker.cut(_:atEnd:scan:)` pieces of `pieceSizes` bytes
    /// in turn, as the backup's producer does while it reads into a chunk's own slot.
    func incrementalLengths(_ data: [UInt8], chunker: Chunker, pieceSizes: [Int]) -> [Int] {
        var lengths: [Int] = []
        var start = 0, filled = 0, piece = 0
        var scan = Chunker.Scan()
        data.withUnsafeBytes { all in
            while true {
                let atEnd = start + filled == data.count
                let window = UnsafeRawBufferPointer(rebasing: all[start..<(start + filled)])
                guard let cut = chunker.cut(window, atEnd: atEnd, scan: &scan) else {
                    filled = min(filled + pieceSizes[piece % pieceSizes.count], data.count - start, chunker.maxSize)
                    piece += 1
                    continue
                }
                if cut == 0 { break }
                lengths.append(cut)
                start += cut
                filled -= cut
                scan = Chunker.Scan()
            }
        }
        return lengths
    }

    @Test(arguments: [[1], [4096], [100_000], [7, 65_536, 3, 200_000], [1 << 20]])
    func cutsWhileBytesArriveAreTheStreamsCuts(pieceSizes: [Int]) throws {
        let seed = RandomBytes.generate(32)
        let chunker = try Chunker(parameters: parameters, gearSeed: seed)
        // Random bytes cut by the hash; a long run of one byte is cut only by the maximum size.
        let data = RandomBytes.generate(1 << 20) + [UInt8](repeating: 7, count: 700_000) + RandomBytes.generate(123_457)
        let expected = try chunks(data, seed: seed).map(\.count)
        #expect(expected.contains(parameters.maxSize))
        #expect(incrementalLengths(data, chunker: chunker, pieceSizes: pieceSizes) == expected)
    }

    @Test func aStreamShorterThanTheMinimumIsOneChunk() throws {
        let chunker = try Chunker(parameters: parameters, gearSeed: RandomBytes.generate(32))
        let data = RandomBytes.generate(parameters.minSize - 1)
        #expect(incrementalLengths(data, chunker: chunker, pieceSizes: [1000]) == [data.count])
        #expect(incrementalLengths([], chunker: chunker, pieceSizes: [1000]) == [])
    }

    /// FastCDC as kura-repository(5) defines it, one byte at a time: the Gear table is 256
    /// little-endian words of `randombytes_buf_deterministic(seed)`; the hash is
    /// `(hash << 1) + gear[byte]` from the minimum size on, cut where the masked high bits are zero.
    func referenceLengths(_ data: [UInt8], seed: [UInt8], parameters: RepositoryConfig.Chunker) throws -> [Int] {
        let table = try RandomBytes.deterministic(256 * 8, seed: seed)
        let gear = (0..<256).map { i in table[(i * 8)..<(i * 8 + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        let bits = parameters.averageSize.trailingZeroBitCount
        let strict = ~UInt64(0) << UInt64(64 - min(63, bits + 2))
        let loose = ~UInt64(0) << UInt64(64 - max(1, bits - 2))
        var lengths: [Int] = []
        var start = 0
        while start < data.count {
            let n = min(data.count - start, parameters.maxSize)
            var length = n
            var hash: UInt64 = 0
            if n > parameters.minSize {
                for i in parameters.minSize..<n {
                    hash = (hash &<< 1) &+ gear[Int(data[start + i])]
                    if hash & (i < parameters.averageSize ? strict : loose) == 0 { length = i + 1; break }
                }
            }
            lengths.append(length)
            start += length
        }
        return lengths
    }

    /// The chunker rolls two bytes a step; its cuts, odd and even, whole or while bytes arrive in
    /// odd-sized pieces, must be exactly the byte-at-a-time definition's, or old chunks stop deduplicating.
    @Test func cutsAreTheByteAtATimeDefinitions() throws {
        let small = RepositoryConfig.Chunker(minSize: 64, averageSize: 256, maxSize: 1024)
        // A run of one byte value cuts at the same place every chunk; under one Gear table in about 64 that place is
        // before the maximum, so the table is drawn until a run of zeros reaches it (and the maximum is tested).
        var seed = RandomBytes.generate(32)
        while try referenceLengths([UInt8](repeating: 0, count: small.maxSize), seed: seed, parameters: small) != [small.maxSize] {
            seed = RandomBytes.generate(32)
        }
        let chunker = try Chunker(parameters: small, gearSeed: seed)
        let data = RandomBytes.generate(300_001) + [UInt8](repeating: 0, count: 5000) + RandomBytes.generate(999)
        let expected = try referenceLengths(data, seed: seed, parameters: small)
        #expect(expected.count > 500)
        #expect(expected.contains { $0 % 2 == 1 } && expected.contains { $0 % 2 == 0 })
        #expect(expected.contains(small.maxSize))
        #expect(incrementalLengths(data, chunker: chunker, pieceSizes: [data.count]) == expected)
        #expect(incrementalLengths(data, chunker: chunker, pieceSizes: [1, 3, 7, 100, 33]) == expected)
    }

    @Test func rejectsBadParameters() {
        #expect(throws: RepositoryError.self) {
            try Chunker(parameters: .init(minSize: 10, averageSize: 1000, maxSize: 2000), gearSeed: RandomBytes.generate(32))
        }
    }
}

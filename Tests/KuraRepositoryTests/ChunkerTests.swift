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

    @Test func rejectsBadParameters() {
        #expect(throws: RepositoryError.self) {
            try Chunker(parameters: .init(minSize: 10, averageSize: 1000, maxSize: 2000), gearSeed: RandomBytes.generate(32))
        }
    }
}

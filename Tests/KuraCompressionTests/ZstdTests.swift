import Testing
@testable import KuraCompression

@Suite struct ZstdTests {
    @Test func roundTripsAndShrinksText() throws {
        let text = Array(String(repeating: "INSERT INTO customers VALUES (1, 'Yamada');\n", count: 2000).utf8)
        let compressed = try ZstdCompressor(level: 3).compress(text)
        #expect(compressed.count < text.count / 10)
        #expect(try ZstdDecompressor().decompress(compressed, originalSize: text.count) == text)
    }

    @Test func rejectsDamagedOrMisSizedInput() throws {
        let text = Array(String(repeating: "abc", count: 1000).utf8)
        var compressed = try ZstdCompressor().compress(text)
        #expect(throws: CompressionError.self) { try ZstdDecompressor().decompress(compressed, originalSize: text.count + 1) }
        compressed[compressed.count - 1] ^= 0xff
        compressed[4] ^= 0xff
        #expect(throws: CompressionError.self) { try ZstdDecompressor().decompress(compressed, originalSize: text.count) }
    }
}

/// The raw length handed to `decompress` comes from an index entry or pack header a write-only host may forge.
@Suite struct ZstdClaimedSizeTests {
    @Test func aSizeTheFrameDoesNotRecordIsRefusedBeforeAllocating() throws {
        let text = Array("hello".utf8)
        let compressed = try ZstdCompressor().compress(text)
        let error = #expect(throws: CompressionError.self) {
            try ZstdDecompressor().decompress(compressed, originalSize: Int(UInt32.max))
        }
        #expect(error?.function == "ZSTD_getFrameContentSize")
        #expect(error?.message.contains("does not hold 4294967295 bytes") == true)
    }

    /// A hand-made frame whose header claims 4 GiB but whose one raw block holds 5 bytes: the header agrees with
    /// the forged entry, the blocks do not.
    @Test func aFrameClaimingMoreThanItsBlocksHoldIsRefused() throws {
        let frame: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0xff, 0xff, 0xff, 0xff, 0x29, 0x00, 0x00] + Array("hello".utf8)
        let error = #expect(throws: CompressionError.self) {
            try ZstdDecompressor().decompress(frame, originalSize: Int(UInt32.max))
        }
        #expect(error?.message.contains("its header says 4294967295") == true)
    }
}

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

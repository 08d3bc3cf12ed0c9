import Foundation
import Testing

/// `kura init --chunk-sizes`: the chunker's sizes are chosen at creation, recorded in config, and used.
@Suite("chunk sizes at init")
struct ChunkSizesTests {
    @Test func theSizesGivenAreRecordedAndCutTheData() throws {
        let fixture = try RepositoryFixture(name: "kura-chunk-sizes", initArguments: ["--chunk-sizes", "4KiB,16KiB,64KiB"])
        let config = try ChunkIDTests.config(fixture)
        let chunker = try #require(config["chunker"] as? [String: Any])
        #expect(chunker["min_size"] as? Int == 4096)
        #expect(chunker["average_size"] as? Int == 16384)
        #expect(chunker["max_size"] as? Int == 65536)
        let input = fixture.path("random.bin")
        #expect(try Kura.shell("head -c 2000000 /dev/urandom > '\(input)'").status == 0)
        let backup = try fixture.kura(["backup", "--stdin", "--stdin-name", "random.bin"], stdin: try Data(contentsOf: URL(fileURLWithPath: input)))
        #expect(backup.status == 0, "\(backup.stderr)")
        let raw = try RepositoryFixture.json(try fixture.kura(["stats", "--mode", "raw-data", "--json"]))
        let blobs = raw["total_blob_count"] as? Int ?? 0
        // 2 MB in chunks of 4-64 KiB averaging about 20 KiB: around a hundred, never fewer than 31 (all at the maximum).
        #expect(blobs >= 31 && blobs <= 500, "\(blobs) blobs")
        let restored = try fixture.kura(["dump", "latest", "random.bin"])
        #expect(restored.status == 0)
        #expect(restored.stdout == (try Data(contentsOf: URL(fileURLWithPath: input))))
    }

    @Test(arguments: ["1MiB,512KiB,2MiB", "256KiB,768KiB,2MiB", "256KiB,1MiB,16MiB", "512,1KiB,2KiB", "256KiB,1MiB", "a,b,c"])
    func sizesThatCannotChunkAreRefused(_ sizes: String) throws {
        let place = try TemporaryDirectory("kura-chunk-sizes-bad")
        let result = try Kura.run(["init", "--repo", place.appending("repo"), "--chunk-sizes", sizes], environment: ["KURA_PASSWORD": "pw"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--chunk-sizes"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: place.appending("repo")))
    }
}

import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto

/// Issue 16 item 1: chunk and tree ids are computed by the function config names, and the repository opens
/// with that function.
@Suite struct ChunkIDFunctionTests {
    static let plaintext = Array("顧客台帳 2026-12-01\n".utf8) + RandomBytes.generate(5000)

    static func id(_ key: MasterKey) -> BlobID { plaintext.withUnsafeBytes { key.blobID(of: $0) } }

    @Test func newRepositoriesUseKeyedBlake3AndReopenWithIt() throws {
        let scratch = try ScratchRepository()
        #expect(scratch.repository.config.chunkID == "keyed-blake3-256")
        let reopened = try Repository.open(at: scratch.path, password: "correct horse")
        #expect(reopened.key.chunkID == .keyedBlake3_256)
        let blake3Key = Blake2b.hash256(Array("kura chunk id keyed-blake3-256".utf8), key: reopened.key.hashKey)
        #expect(Self.id(reopened.key) == BlobID(Blake3.keyedHash(key: blake3Key, message: Self.plaintext)))
        #expect(Self.id(reopened.key) != BlobID(Blake2b.hash256(Self.plaintext, key: reopened.key.hashKey)))
        #expect(Self.id(scratch.repository.key) == Self.id(reopened.key))
    }

    @Test func keyedBlake2bRepositoriesKeepTodaysIDs() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kura-unit-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try Repository.initialize(at: root, password: "pw", chunkID: .keyedBlake2b256)
        let repository = try Repository.open(at: root, password: "pw")
        #expect(repository.config.chunkID == "keyed-blake2b-256")
        #expect(repository.key.chunkID == .keyedBlake2b256)
        #expect(Self.id(repository.key) == BlobID(Blake2b.hash256(Self.plaintext, key: repository.key.hashKey)))
    }

    @Test func aConfigWithoutTheFieldMeansKeyedBlake2bAndUnknownNamesAreRefused() throws {
        #expect(try ChunkIDFunction.named(nil, in: "r") == .keyedBlake2b256)
        #expect(try ChunkIDFunction.named("keyed-blake3-256", in: "r") == .keyedBlake3_256)
        let error = #expect(throws: RepositoryError.self) { try ChunkIDFunction.named("keyed-sha3-256", in: "/srv/repo") }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("'keyed-sha3-256'") == true && error?.message.contains("/srv/repo/config") == true)
        // A config written before the field existed decodes with none, and encodes back without one.
        let old = #"{"chunker":{"algorithm":"fastcdc-gear64","average_size":1048576,"max_size":4194304,"min_size":262144},"#
            + #""compression":{"algorithm":"zstd","level":3},"id":"\#(String(repeating: "ab", count: 32))","pack_size":16777216,"version":1}"#
        let config = try JSONDecoder().decode(RepositoryConfig.self, from: Data(old.utf8))
        #expect(config.chunkID == nil)
        #expect(!String(decoding: try JSONEncoder().encode(config), as: UTF8.self).contains("chunk_id"))
    }
}

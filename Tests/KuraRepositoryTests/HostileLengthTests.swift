import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto
import KuraStorage

/// Lengths, counts and limits read from bytes someone else wrote are checked before anything is allocated or
/// derived (issue 13 item 7; the fuzz inputs that found them are replayed from Tests/Fuzz/regressions).
@Suite struct HostileLengthTests {
    /// A pack written by kura itself, and a reader of it.
    static func pack() throws -> (scratch: ScratchRepository, reader: PackReader, pack: BlobID, entry: PackEntry) {
        let scratch = try ScratchRepository()
        let backend = LocalBackend(root: scratch.path)
        let key = scratch.repository.key
        let writer = try PackWriter(backend: backend, publicKey: key.publicKey)
        let plain = Array("a blob".utf8)
        let id = plain.withUnsafeBytes { key.blobID(of: $0) }
        try writer.append(id: id, type: .data, compressed: false, rawLength: plain.count,
                          sealed: try AEAD.seal(plain, key: writer.key, associatedData: id.bytes))
        let pack = try writer.finish()
        let reader = try PackReader(backend: backend, key: key)
        return (scratch, reader, pack, writer.entries[0])
    }

    @Test func aBlobAnIndexPlacesBeyondItsPackIsRefusedBeforeReading() throws {
        let (scratch, reader, pack, entry) = try Self.pack()
        _ = scratch
        #expect(try reader.read(pack: pack, entry: entry) == Array("a blob".utf8))
        for (offset, length) in [(entry.offset, UInt32.max - 64), (UInt32.max - 8, entry.length), (0, entry.length)] {
            var forged = entry
            forged.offset = offset
            forged.length = length
            let error = #expect(throws: RepositoryError.self) { try reader.read(pack: pack, entry: forged) }
            #expect(error?.code == .damaged)
            #expect(error?.message.contains("lies outside the pack") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aCompressedBlobWhoseRawLengthIsForgedIsRefused() throws {
        let (scratch, reader, pack, entry) = try Self.pack()
        _ = scratch
        var forged = entry
        forged.flags = 1
        forged.rawLength = UInt32.max
        let error = #expect(throws: RepositoryError.self) { try reader.read(pack: pack, entry: forged) }
        #expect(error?.message.contains("does not decompress") == true)
    }

    @Test func anEntryCountLargerThanTheHeaderIsRefused() throws {
        let error = #expect(throws: RepositoryError.self) { try PackFormat.decodeEntries([0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 42)) }
        #expect(error?.message.contains("truncated") == true)
    }

    @Test("a key slot asking Argon2id for more than kura uses is damaged, not derived",
          arguments: [(UInt64(1) << 40, 32 << 20), (4, 1 << 40), (0, 32 << 20), (4, 0)])
    func keySlotLimits(opsLimit: UInt64, memLimit: Int) throws {
        let key = MasterKey.generate(repository: .zero)
        var slot = try KeySlot.seal(key, password: "pw")
        #expect(slot.damage == nil)
        slot.kdf.opsLimit = opsLimit
        slot.kdf.memLimit = memLimit
        slot.checksum = nil
        #expect(slot.damage?.contains("Argon2id limits") == true)
        let started = Date()
        let error = #expect(throws: RepositoryError.self) { try slot.open(password: "pw", repository: .zero) }
        #expect(error?.code == .damaged)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}

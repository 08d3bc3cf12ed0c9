import KuraCompression
import KuraCrypto
import KuraStorage

/// Reads blobs out of packs with ranged loads (the pack's first bytes for its key, then each blob;
/// or its trailer, then its header): unseals each pack key once, decrypts and decompresses a blob and
/// checks its id. One reader per thread.
package final class PackReader {
    private let key: MasterKey
    private let files: PackFiles
    private var packKeys: [BlobID: [UInt8]] = [:]
    private let decompressor: ZstdDecompressor

    package init(backend: any Backend, key: MasterKey) throws {
        self.key = key
        files = PackFiles(backend: backend)
        decompressor = try ZstdDecompressor()
    }

    /// The unsealed pack keys are wiped with the reader.
    deinit {
        for index in packKeys.values.indices { SecureMemory.wipe(&packKeys.values[index]) }
    }

    /// The pack's key, unsealed from `head` (the pack's first bytes, when the caller has them) or
    /// from a read of them.
    func packKey(_ pack: BlobID, head given: ArraySlice<UInt8>? = nil) throws -> [UInt8] {
        if let k = packKeys[pack] { return k }
        let secretKey = try key.requireSecretKey()
        let head = try given.map { Array($0.prefix(PackFormat.blobsOffset)) } ?? files.read(pack, count: PackFormat.blobsOffset, offset: 0)
        guard Array(head[0..<8]) == PackFormat.magic else { throw RepositoryError(.damaged, "pack \(pack) has no pack magic") }
        do {
            let k = try head.withUnsafeBytes {
                try SealedBox.open(UnsafeRawBufferPointer(rebasing: $0[8...]), publicKey: key.publicKey, secretKey: secretKey)
            }
            packKeys[pack] = k
            return k
        } catch {
            throw RepositoryError(.damaged, "pack \(pack): its pack key does not unseal (damaged, or sealed to another repository)")
        }
    }

    /// The plaintext of one blob, verified against its id.
    package func read(pack: BlobID, entry: PackEntry) throws -> [UInt8] {
        let packKey = try packKey(pack)
        // Offset and length come from an index file or a pack header, which a write-only host can forge:
        // checked against the pack's size before the buffer is allocated.
        let size = try files.size(pack)
        guard Int(entry.offset) >= PackFormat.blobsOffset, Int(entry.length) >= PackFormat.blobOverhead,
              Int(entry.offset) + Int(entry.length) <= size - PackFormat.trailerLength else {
            throw RepositoryError(.damaged, "pack \(pack): blob \(entry.id.short) lies outside the pack (offset \(entry.offset), "
                + "length \(entry.length), pack size \(size))")
        }
        let sealed = try files.read(pack, count: Int(entry.length), offset: Int(entry.offset))
        return try Self.decode(sealed: sealed, entry: entry, pack: pack, packKey: packKey, key: key, decompressor: decompressor)
    }

    /// The plaintext of one blob whose stored bytes were read ahead: `span` holds the pack's bytes from
    /// offset `spanStart` on (from 0, the pack's head too). The caller made the span from the entry,
    /// so the blob lies inside it.
    package func read(pack: BlobID, entry: PackEntry, span: [UInt8], spanStart: Int) throws -> [UInt8] {
        let packKey = try packKey(pack, head: spanStart == 0 && span.count >= PackFormat.blobsOffset ? span[...] : nil)
        let from = Int(entry.offset) - spanStart
        precondition(from >= 0 && from + Int(entry.length) <= span.count, "a blob outside the span made for it")
        let sealed = Array(span[from..<(from + Int(entry.length))])
        return try Self.decode(sealed: sealed, entry: entry, pack: pack, packKey: packKey, key: key, decompressor: decompressor)
    }

    /// Decrypts, decompresses and checks a blob's bytes as stored.
    package static func decode(sealed: [UInt8], entry: PackEntry, pack: BlobID, packKey: [UInt8], key: MasterKey,
                       decompressor: ZstdDecompressor) throws -> [UInt8] {
        let payload: [UInt8]
        do {
            payload = try AEAD.open(sealed, key: packKey, associatedData: entry.id.bytes)
        } catch {
            throw RepositoryError(.damaged, "pack \(pack): blob \(entry.id.short) fails authentication")
        }
        let plaintext: [UInt8]
        if entry.isCompressed {
            do {
                plaintext = try decompressor.decompress(payload, originalSize: Int(entry.rawLength))
            } catch {
                throw RepositoryError(.damaged, "pack \(pack): blob \(entry.id.short) does not decompress")
            }
        } else {
            plaintext = payload
        }
        guard plaintext.count == Int(entry.rawLength),
              plaintext.withUnsafeBytes({ key.blobID(of: $0) }) == entry.id else {
            throw RepositoryError(.damaged, "pack \(pack): blob \(entry.id.short) does not match its id")
        }
        return plaintext
    }

    /// The entries a pack's own header lists (needs the full key, since the header is under the pack key).
    package func entries(of pack: BlobID) throws -> [PackEntry] {
        let size = try files.size(pack)
        guard size >= PackFormat.blobsOffset + PackFormat.trailerLength else { throw RepositoryError(.damaged, "pack \(pack) is truncated") }
        let trailer = try files.read(pack, count: PackFormat.trailerLength, offset: size - PackFormat.trailerLength)
        var r = ByteReader(trailer)
        let headerLength = Int(try r.u32())
        guard Array(trailer[4...]) == PackFormat.magic,
              headerLength <= size - PackFormat.blobsOffset - PackFormat.trailerLength else {
            throw RepositoryError(.damaged, "pack \(pack) has a damaged trailer")
        }
        let header = try files.read(pack, count: headerLength, offset: size - PackFormat.trailerLength - headerLength)
        do {
            let plain = try AEAD.open(header, key: try packKey(pack), associatedData: PackFormat.headerAssociatedData)
            return try PackFormat.decodeEntries(plain)
        } catch let error as RepositoryError where error.code == .writeOnlyKey {
            throw error
        } catch {
            throw RepositoryError(.damaged, "pack \(pack) has a damaged header")
        }
    }
}

import KuraCrypto
import KuraStorage

/// Writes one pack as a backend upload: blobs appended as they come, then the encrypted header and
/// trailer; the upload is committed under the pack's content-addressed name (known only then, the
/// hash of its bytes), durably (`Backend.beginUpload`).
///
/// `@unchecked Sendable`: one thread at a time owns it. `BlobSaver` creates it on the caller's
/// thread and from then on appends, finishes and abandons it only on its serial `packQueue`.
final class PackWriter: @unchecked Sendable {
    /// This pack's XChaCha20-Poly1305 key, wiped when the writer goes away.
    private(set) var key: [UInt8]
    private let upload: any ObjectUpload
    private var hasher = Blake2bHasher()
    private(set) var entries: [PackEntry] = []
    private(set) var size = 0
    private var open = true

    init(backend: any Backend, publicKey: [UInt8]) throws {
        key = AEAD.generateKey()
        upload = try backend.beginUpload(ObjectHandle(.data, "pending"))
        do {
            try write(PackFormat.magic)
            try write(try SealedBox.seal(key, to: publicKey))
        } catch {
            abandon()
            throw error
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        try upload.write(bytes)
        hasher.update(bytes)
        size += bytes.count
    }

    /// Appends an already encrypted blob (`nonce || ciphertext`, sealed with `key`).
    func append(id: BlobID, type: BlobType, compressed: Bool, rawLength: Int, sealed: [UInt8]) throws {
        try sealed.withUnsafeBytes { try append(id: id, type: type, compressed: compressed, rawLength: rawLength, sealed: $0) }
    }

    func append(id: BlobID, type: BlobType, compressed: Bool, rawLength: Int, sealed: UnsafeRawBufferPointer) throws {
        let offset = size
        try write(sealed)
        entries.append(PackEntry(id: id, type: type, flags: compressed ? 1 : 0, offset: UInt32(offset),
                                 length: UInt32(sealed.count), rawLength: UInt32(rawLength)))
    }

    /// Writes header and trailer, makes the pack durable under its final name and returns that name.
    func finish() throws -> BlobID {
        let id = try seal()
        try commit(id)
        return id
    }

    /// Writes header and trailer and returns the pack's name (the hash of its bytes); nothing is
    /// visible in the repository until `commit`.
    func seal() throws -> BlobID {
        let header = try AEAD.seal(PackFormat.encodeEntries(entries), key: key, associatedData: PackFormat.headerAssociatedData)
        try write(header)
        var trailer = ByteWriter()
        trailer.u32(UInt32(header.count))
        trailer.raw(PackFormat.magic)
        try write(trailer.bytes)
        return BlobID(hasher.finalize())
    }

    /// Makes the sealed pack durable under its name (`ObjectUpload.commit`).
    func commit(_ id: BlobID) throws {
        open = false
        do {
            try upload.commit(as: id.hex)
        } catch {
            upload.abort()
            throw error
        }
    }

    /// Drops what was written of a pack that will not be finished.
    func abandon() {
        open = false
        upload.abort()
    }

    deinit {
        if open { abandon() }
        SecureMemory.wipe(&key)
    }
}

import Glibc
import KuraCrypto
import KuraSystem

/// Writes one pack file: blobs appended as they come, then the encrypted header and trailer,
/// fsync, and a rename to its content-addressed name (`data/XX/ID`), then fsync of that directory.
///
/// `@unchecked Sendable`: one thread at a time owns it. `BlobSaver` creates it on the caller's
/// thread and from then on appends, finishes and abandons it only on its serial `packQueue`.
final class PackWriter: @unchecked Sendable {
    /// This pack's XChaCha20-Poly1305 key, wiped when the writer goes away.
    private(set) var key: [UInt8]
    private let layout: RepositoryLayout
    private let temporaryPath: String
    private var fd: Int32
    private var hasher = Blake2bHasher()
    private(set) var entries: [PackEntry] = []
    private(set) var size = 0
    private var interruptToken = 0

    init(layout: RepositoryLayout, publicKey: [UInt8]) throws {
        self.layout = layout
        key = AEAD.generateKey()
        temporaryPath = layout.temporaryPackPath()
        let temporary = temporaryPath
        interruptToken = Interruption.onInterrupt { try? Posix.unlink(temporary) }
        fd = try Posix.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
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
        try Posix.writeFully(fd, bytes, path: temporaryPath)
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
        let header = try AEAD.seal(PackFormat.encodeEntries(entries), key: key, associatedData: PackFormat.headerAssociatedData)
        try write(header)
        var trailer = ByteWriter()
        trailer.u32(UInt32(header.count))
        trailer.raw(PackFormat.magic)
        try write(trailer.bytes)
        try Posix.fsync(fd, path: temporaryPath)
        Posix.close(fd)
        fd = -1
        let id = BlobID(hasher.finalize())
        let directory = layout.packDirectory(id)
        if Posix.statIfExists(directory) == nil {
            try Posix.mkdir(directory)
            try Posix.fsyncDirectory(layout.dataDirectory)
        }
        try Posix.rename(temporaryPath, layout.packPath(id))
        Interruption.forget(interruptToken)
        try Posix.fsyncDirectory(directory)
        return id
    }

    /// Removes the temporary file of a pack that will not be finished.
    func abandon() {
        if fd >= 0 { Posix.close(fd); fd = -1 }
        try? Posix.unlink(temporaryPath)
        Interruption.forget(interruptToken)
    }

    deinit {
        if fd >= 0 { abandon() }
        SecureMemory.wipe(&key)
    }
}

import KuraSystem

/// A pack on its way to S3: its bytes are kept in memory (a pack is at most the repository's pack
/// size, 48 MiB at most) and sent in one signed PUT on `commit`, so nothing is visible before that
/// and an aborted upload leaves nothing behind on the store. The memory is a `PageBuffer`, given back
/// to the system as soon as the upload is done.
final class S3Upload: ObjectUpload {
    private let backend: S3Backend
    private let handle: ObjectHandle
    private let buffer: PageBuffer
    private var spent = false

    /// Address space reserved for a pack (16 MiB by default); a larger one moves to a larger region.
    static let reserved = 32 << 20

    init(backend: S3Backend, handle: ObjectHandle) throws(StorageError) {
        self.backend = backend
        self.handle = handle
        do {
            buffer = try PageBuffer(capacity: Self.reserved, for: backend.describe(handle))
        } catch {
            throw StorageError(.io, "\(backend.describe(handle)): no memory for the upload: \(error)")
        }
    }

    var size: Int64 { Int64(buffer.count) }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        guard !spent else { throw StorageError(.io, "\(backend.describe(handle)): write after the upload was committed or aborted") }
        guard buffer.count + bytes.count <= S3Backend.maximumObjectBytes else {
            throw StorageError(.io, "\(backend.describe(handle)): an object over \(S3Backend.maximumObjectBytes >> 20) MiB cannot be uploaded in one request")
        }
        do {
            try buffer.append(bytes)
        } catch {
            throw StorageError(.io, "\(backend.describe(handle)): no memory for the upload: \(error)")
        }
    }

    func commit(as name: String?) throws(StorageError) {
        guard !spent else { throw StorageError(.io, "\(backend.describe(handle)): the upload was already committed or aborted") }
        let target = name.map { ObjectHandle(handle.kind, $0) } ?? handle
        try backend.save(target, bytes: buffer.bytes)
        spent = true
        buffer.release()
    }

    func abort() {
        spent = true
        buffer.release()
    }
}

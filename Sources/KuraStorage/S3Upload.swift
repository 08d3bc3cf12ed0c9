/// A pack on its way to S3: its bytes are kept in memory (a pack is at most the repository's pack
/// size, 48 MiB at most) and sent in one signed PUT on `commit`, so nothing is visible before that
/// and an aborted upload leaves nothing behind on the store.
final class S3Upload: ObjectUpload {
    private let backend: S3Backend
    private let handle: ObjectHandle
    private var buffer: [UInt8] = []
    private var spent = false

    init(backend: S3Backend, handle: ObjectHandle) {
        self.backend = backend
        self.handle = handle
    }

    var size: Int64 { Int64(buffer.count) }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        guard !spent else { throw StorageError(.io, "\(backend.describe(handle)): write after the upload was committed or aborted") }
        guard buffer.count + bytes.count <= S3Backend.maximumObjectBytes else {
            throw StorageError(.io, "\(backend.describe(handle)): an object over \(S3Backend.maximumObjectBytes >> 20) MiB cannot be uploaded in one request")
        }
        buffer.append(contentsOf: bytes)
    }

    func commit(as name: String?) throws(StorageError) {
        guard !spent else { throw StorageError(.io, "\(backend.describe(handle)): the upload was already committed or aborted") }
        let target = name.map { ObjectHandle(handle.kind, $0) } ?? handle
        try backend.save(target, buffer)
        spent = true
        buffer = []
    }

    func abort() {
        spent = true
        buffer = []
    }
}

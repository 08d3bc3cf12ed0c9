import KuraStorage
import KuraSystem

/// Ranged reads of packs through the backend. A local repository is read with `pread(2)` on
/// descriptors opened on first use (restore and check read thousands of blobs a second; opening
/// the file for each would cost more than the read). At most `limit` stay open, and the next one
/// closes them all: restores go through packs roughly in order, so a few suffice, and every worker
/// thread has its own set, so a large set on a many-core host would run into the open-file limit.
/// Any other backend gets a ranged load per read.
final class PackFiles {
    static let limit = 16

    private let backend: any Backend
    private let local: LocalBackend?
    private var open: [BlobID: Int32] = [:]
    /// Packs never change once written, so a size learnt once holds (a blob read checks its range
    /// against it; on an object store that would otherwise be a request per blob).
    private var sizes: [BlobID: Int] = [:]

    init(backend: any Backend) {
        self.backend = backend
        local = backend as? LocalBackend
    }

    deinit { for fd in open.values { Posix.close(fd) } }

    /// Where a pack is, for messages.
    func describe(_ pack: BlobID) -> String { backend.describe(.pack(pack)) }

    /// The local pack's descriptor, opened now (`open(2)`) or earlier.
    private func descriptor(_ pack: BlobID, _ local: LocalBackend) throws -> Int32 {
        if let fd = open[pack] { return fd }
        if open.count >= Self.limit { for fd in open.values { Posix.close(fd) }; open.removeAll() }
        do {
            let fd = try Posix.open(local.path(.pack(pack)), Posix.openReadOnly)
            open[pack] = fd
            return fd
        } catch let error as SystemError where error.isNotFound {
            throw RepositoryError(.damaged, "pack \(pack) is missing", cause: error)
        }
    }

    /// Fills `buffer` with the pack's bytes from `offset`. A pack that is not there, or ends before
    /// the range, is damage; one that is there but does not open (permissions, too many open files)
    /// is the I/O error it is.
    func read(_ pack: BlobID, into buffer: UnsafeMutableRawBufferPointer, offset: Int) throws {
        if let local {
            try Posix.preadOrDamaged(try descriptor(pack, local), into: buffer, offset: offset, path: local.path(.pack(pack)))
            return
        }
        let bytes = try Self.damageIfMissing(pack) {
            try backend.load(.pack(pack), range: Int64(offset)..<Int64(offset + buffer.count))
        }
        guard bytes.count == buffer.count else {
            throw RepositoryError(.damaged, "\(describe(pack)) is shorter than expected (wanted \(buffer.count) bytes at offset \(offset))")
        }
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }

    func read(_ pack: BlobID, count: Int, offset: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(pack, into: UnsafeMutableRawBufferPointer(buffer), offset: offset)
            initialized = count
        }
    }

    /// The pack's size in bytes.
    func size(_ pack: BlobID) throws -> Int {
        if let known = sizes[pack] { return known }
        let size: Int
        if let local {
            size = Posix.size(of: try Posix.fstat(try descriptor(pack, local), path: local.path(.pack(pack))))
        } else {
            guard let info = try backend.stat(.pack(pack)) else { throw RepositoryError(.damaged, "pack \(pack) is missing") }
            size = Int(info.size)
        }
        sizes[pack] = size
        return size
    }

    /// `posix_fadvise(POSIX_FADV_WILLNEED)` on a local pack's byte range; nothing elsewhere. A pack
    /// that does not open is passed over: the read that needs it reports why.
    func adviseWillNeed(_ pack: BlobID, offset: Int, length: Int) {
        guard let local, let fd = try? descriptor(pack, local) else { return }
        Posix.adviseWillNeed(fd, offset: offset, length: length)
    }

    /// A missing object or a range past its end, as the repository names them: damage.
    static func damageIfMissing<T>(_ pack: BlobID, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StorageError where error.code == .notFound {
            throw RepositoryError(.damaged, "pack \(pack) is missing", cause: error)
        } catch let error as StorageError where error.code == .truncated {
            throw RepositoryError(.damaged, "pack \(pack) is truncated: \(error.message)", cause: error)
        }
    }
}

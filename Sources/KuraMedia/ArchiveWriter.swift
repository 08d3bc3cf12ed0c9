import Glibc

/// Writes a pax archive (libarchive's restricted pax: ustar headers, pax extensions only when
/// needed) to a file descriptor in fixed-size blocks, as a tape drive wants.
final class ArchiveWriter {
    private let archive: OpaquePointer
    private let device: String
    private var closed = false
    private(set) var bytesWritten: Int64 = 0

    init(fd: Int32, device: String, blockSize: Int) throws {
        try ArchiveCalls.load()
        let (a, rc) = ArchiveCalls.openWriter(fd: fd, blockSize: Int32(blockSize))
        guard let a else { throw MediaError(.device, "libarchive could not allocate a writer") }
        archive = a
        self.device = device
        guard rc == ArchiveCalls.ok else { throw failure("cannot start writing") }
    }

    deinit {
        if !closed { _ = ArchiveCalls.closeWriter(archive) }
        ArchiveCalls.freeWriter(archive)
    }

    private func failure(_ what: String) -> MediaError {
        let (code, message) = ArchiveCalls.error(archive)
        return MediaError(.device, "\(what) on \(device): \(message)\(code > 0 ? " (\(String(cString: strerror(code))))" : "")")
    }

    /// Starts an entry of `size` bytes; its data must follow with `write`.
    func begin(_ path: String, size: Int, mtime: Int) throws {
        guard ArchiveCalls.writeHeader(archive, path: path, size: Int64(size), mtime: mtime) == ArchiveCalls.ok else {
            throw failure("cannot write the header of \(path)")
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = ArchiveCalls.writeData(archive, UnsafeRawBufferPointer(rebasing: bytes[done...]))
            guard n > 0 else { throw failure("cannot write") }
            done += n
        }
        bytesWritten += Int64(bytes.count)
    }

    /// A whole small entry.
    func add(_ path: String, _ bytes: [UInt8], mtime: Int) throws {
        try begin(path, size: bytes.count, mtime: mtime)
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes the end-of-archive blocks and flushes the last block.
    func close() throws {
        closed = true
        guard ArchiveCalls.closeWriter(archive) == ArchiveCalls.ok else { throw failure("cannot finish the archive") }
    }
}

import Glibc

/// Reads a tar/pax archive strictly in order, as from a tape: entries one after another, each
/// entry's data once.
final class ArchiveReader {
    enum EntryKind: Equatable {
        case regular, directory, device, fifo, other
        case symbolicLink(String)
        case hardLink(String)

        var description: String {
            switch self {
            case .regular: "regular file"
            case .directory: "directory"
            case .device: "device"
            case .fifo: "FIFO"
            case .other: "special file"
            case .symbolicLink(let target): "symbolic link to \(target)"
            case .hardLink(let target): "hard link to \(target)"
            }
        }
    }

    struct Entry {
        var path: String
        var size: Int64
        var kind: EntryKind = .regular
    }

    private let archive: OpaquePointer
    /// Where the bytes come from: one set of the medium. Kept alive as libarchive's client data.
    private let source: MediumSegments
    let device: String

    init(source: MediumSegments) throws {
        try ArchiveCalls.load()
        self.source = source
        device = source.device
        let (a, rc) = ArchiveCalls.openReader(client: Unmanaged.passUnretained(source).toOpaque()) { _, client, out in
            let source = Unmanaged<MediumSegments>.fromOpaque(client!).takeUnretainedValue()
            do {
                let chunk = try source.chunk()
                out?.pointee = chunk.baseAddress
                return chunk.count
            } catch let error as MediaError {
                source.lastError = error
                return -1
            } catch {
                source.lastError = MediaError(.device, "cannot read \(source.device): \(error)")
                return -1
            }
        }
        guard let a else { throw MediaError(.device, "libarchive could not allocate a reader") }
        archive = a
        guard rc == ArchiveCalls.ok else {
            if let error = source.lastError { throw error }
            let (code, message) = ArchiveCalls.error(a)
            if code == EIO || code == ENOENT || code == EACCES { throw MediaError(.device, "cannot read \(device): \(message)") }
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium (\(message))")
        }
    }

    deinit { ArchiveCalls.freeReader(archive) }

    /// The next entry, or nil at the end of the archive. A damaged or truncated header throws.
    func next() throws -> Entry? {
        let (rc, path, size, kind) = ArchiveCalls.nextHeader(archive)
        if rc == ArchiveCalls.eof { return nil }
        guard rc == ArchiveCalls.ok || rc == ArchiveCalls.warn else {
            if let error = source.lastError { throw error }
            let message = ArchiveCalls.error(archive).message
            if message.lowercased().contains("truncated") || message.lowercased().contains("premature") {
                throw MediaError(.truncated, "\(device) ends in the middle of the archive (\(message))")
            }
            throw MediaError(.notKuraMedium, "\(device) is not a readable tar/pax archive: \(message)")
        }
        return Entry(path: path, size: size, kind: kind)
    }

    /// The whole data of the current entry; throws `.truncated` when the archive ends early. The size is what
    /// the entry's header claims, and anyone can write a header: the buffer grows with the bytes that arrive
    /// (a megabyte at a time), so a claimed size the archive does not hold costs no memory.
    func readAll(expected: Int64) throws -> [UInt8] {
        guard expected >= 0, expected <= 1 << 31 else { throw MediaError(.damaged, "entry size \(expected) is not plausible") }
        let total = Int(expected)
        var out = [UInt8]()
        while out.count < total {
            let before = out.count
            let step = min(total - before, 1 << 20)
            out.reserveCapacity(min(total, max(before * 2, before + step)))
            out.append(contentsOf: repeatElement(0, count: step))
            let n = out.withUnsafeMutableBytes {
                ArchiveCalls.readData(archive, into: UnsafeMutableRawBufferPointer(rebasing: $0[before..<(before + step)]))
            }
            out.removeLast(step - max(n, 0))
            if n == 0 { break }
            if n < 0 {
                if let error = source.lastError { throw error }
                let message = ArchiveCalls.error(archive).message
                throw MediaError(.truncated, "\(device) ends in the middle of an entry (\(message))")
            }
        }
        guard out.count == total else {
            throw MediaError(.truncated, "\(device) ends in the middle of an entry (\(out.count) of \(total) bytes)")
        }
        return out
    }

    /// Skips the current entry's data.
    func skip() throws {
        guard ArchiveCalls.skipData(archive) == ArchiveCalls.ok else {
            if let error = source.lastError { throw error }
            throw MediaError(.truncated, "\(device) ends in the middle of an entry (\(ArchiveCalls.error(archive).message))")
        }
    }
}

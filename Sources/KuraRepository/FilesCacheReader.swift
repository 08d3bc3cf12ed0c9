#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KuraCrypto
import KuraSystem

/// Reads a `KURAFC03` files-cache file (`FilesCacheBlocks`) a block at a time, so a backup holds one block
/// of the old entries, not the whole file. A block is used only once its digest continues the chain, its
/// entries fit it exactly and every path in it comes after the one before in walk order; the first block
/// that fails any of these ends the entries (those before it stay good).
final class FilesCacheReader: FilesCacheCursor {
    /// Fills the buffer with the bytes at the offset; false when the file is shorter or unreadable.
    typealias ReadAt = (UnsafeMutableRawBufferPointer, Int) -> Bool

    private let readAt: ReadAt
    private let size: Int
    private var offset = FilesCacheBlocks.magic.count
    private var chain = FilesCacheBlocks().chain
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// The current block's entries: where each starts in `buffer` and how long it is.
    private var entries: [(start: Int, length: Int)] = []
    private var at = 0
    private var lastPath: [UInt8]?
    private var entriesRead = 0
    /// The end was reached and its count matched: the whole file was good.
    private(set) var isComplete = false
    private(set) var isDamaged = false

    /// A reader of `size` bytes reached through `readAt`; the caller has checked the magic.
    init(size: Int, readAt: @escaping ReadAt) {
        self.size = size
        self.readAt = readAt
        loadBlock()
    }

    /// A reader of the file open at `fd` (its descriptor stays open while a reader of it lives).
    convenience init(file: FilesCacheReader.OpenFile) {
        self.init(size: file.size) { buffer, offset in
            (try? Posix.preadFully(file.fd, into: buffer, offset: offset, path: file.path)) != nil
        }
    }

    /// A reader of a whole file in memory (tests).
    convenience init?(bytes: [UInt8]) {
        guard bytes.starts(with: FilesCacheBlocks.magic) else { return nil }
        self.init(size: bytes.count) { buffer, offset in
            guard offset >= 0, offset + buffer.count <= bytes.count else { return false }
            bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + buffer.count)])) }
            return true
        }
    }

    deinit { buffer.deallocate() }

    var current: UnsafeRawBufferPointer? {
        guard at < entries.count else { return nil }
        let e = entries[at]
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[e.start..<(e.start + e.length)])
    }

    func advance() {
        guard at < entries.count else { return }
        at += 1
        if at == entries.count { loadBlock() }
    }

    private func loadBlock() {
        entries.removeAll(keepingCapacity: true)
        at = 0
        guard !isComplete, !isDamaged else { return }
        let digest = FilesCacheBlocks.digestBytes
        var head: UInt64 = 0
        guard withUnsafeMutableBytes(of: &head, { readAt($0, offset) }) else { return damaged() }
        let length = UInt64(littleEndian: head)
        let left = size - offset - 8
        if length == 0 {
            guard left == 8 + digest, read(count: 8 + digest, at: offset) else { return damaged() }
            let count = UInt64(littleEndian: UnsafeRawBufferPointer(buffer).loadUnaligned(as: UInt64.self))
            guard sealed(length: 0, count: 8), count == UInt64(entriesRead) else { return damaged() }
            isComplete = true
            return
        }
        guard length <= UInt64(max(0, left - digest)), read(count: Int(length) + digest, at: offset) else { return damaged() }
        guard sealed(length: length, count: Int(length)), split(Int(length)) else { return damaged() }
        offset += 8 + Int(length) + digest
        entriesRead += entries.count
    }

    /// Reads `count` bytes after the 8-byte length at `at` into `buffer` (grown as needed).
    private func read(count: Int, at: Int) -> Bool {
        if buffer.count < count {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(count, FilesCacheBlocks.blockBytes), alignment: 16)
        }
        return readAt(UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]), at + 8)
    }

    /// Whether the digest after the first `count` bytes of `buffer` continues the chain, those bytes
    /// following an 8-byte `length` in the file.
    private func sealed(length: UInt64, count: Int) -> Bool {
        let bytes = UnsafeRawBufferPointer(buffer)
        var hasher = Blake2bHasher()
        hasher.update(chain)
        hasher.update(FilesCacheBlocks.littleEndian(length))
        hasher.update(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        let expected = hasher.finalize()
        guard UnsafeRawBufferPointer(rebasing: bytes[count..<(count + FilesCacheBlocks.digestBytes)]).elementsEqual(expected) else {
            return false
        }
        chain = expected
        return true
    }

    /// Finds the block's entries, each whole and after the one before it in walk order.
    private func split(_ length: Int) -> Bool {
        let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[..<length])
        var start = 0
        var previous: UnsafeRawBufferPointer? = nil
        while start < length {
            guard let entryLength = FilesCacheEntries.entryLength(raw, at: start) else { return false }
            let path = FilesCacheEntries.path(raw, at: start)
            if let previous {
                guard FilesCacheWalkOrder.compare(previous, path) < 0 else { return false }
            } else if let lastPath {
                guard lastPath.withUnsafeBytes({ FilesCacheWalkOrder.compare($0, path) }) < 0 else { return false }
            }
            entries.append((start, entryLength))
            previous = path
            start += entryLength
        }
        lastPath = previous.map(Array.init)
        return true
    }

    private func damaged() {
        entries.removeAll()
        isDamaged = true
    }

    /// A files-cache file open for reading, closed when the last reader of it goes.
    final class OpenFile {
        let fd: Int32
        let size: Int
        let path: String

        init(fd: Int32, size: Int, path: String) {
            self.fd = fd
            self.size = size
            self.path = path
        }

        deinit { Posix.close(fd) }
    }
}

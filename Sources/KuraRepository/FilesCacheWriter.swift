import KuraSystem

/// Writes a files-cache file (`FilesCacheBlocks`) as a backup goes: entries in walk order, a block at a time,
/// to a temporary file that `commit` renames over the old one (`AtomicFileWriter`), or into memory (tests).
final class FilesCacheWriter {
    private let output: (UnsafeRawBufferPointer) throws -> Void
    private let finish: () throws -> Void
    private let cancel: () -> Void
    private var blocks = FilesCacheBlocks()
    private var pending: [UInt8] = []
    private var lastPath: [UInt8]?
    private(set) var count = 0

    convenience init(_ path: String) throws {
        let file = try AtomicFileWriter(path)
        try self.init(output: file.append, finish: file.commit, cancel: file.abandon)
    }

    init(output: @escaping (UnsafeRawBufferPointer) throws -> Void, finish: @escaping () throws -> Void = {},
         cancel: @escaping () -> Void = {}) throws {
        self.output = output
        self.finish = finish
        self.cancel = cancel
        try FilesCacheBlocks.magic.withUnsafeBytes(output)
        pending.reserveCapacity(FilesCacheBlocks.blockBytes + 4096)
    }

    struct OutOfOrder: Error {}

    /// Adds one entry, as `FilesCacheEntries.encode` makes it; its path must come after the last one's.
    func append(_ entry: UnsafeRawBufferPointer) throws {
        let path = FilesCacheEntries.path(entry, at: 0)
        if let lastPath {
            guard lastPath.withUnsafeBytes({ FilesCacheWalkOrder.compare($0, path) }) < 0 else { throw OutOfOrder() }
        }
        lastPath = Array(path)
        pending.append(contentsOf: entry)
        count += 1
        if pending.count >= FilesCacheBlocks.blockBytes { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        let block = pending.withUnsafeBytes { blocks.block($0) }
        try block.withUnsafeBytes(output)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the last block and the end, and puts the file in place.
    func commit() throws {
        try flush()
        try blocks.end(count: count).withUnsafeBytes(output)
        try finish()
    }

    func abandon() { cancel() }
}

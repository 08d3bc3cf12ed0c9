import KuraSystem

/// Writes a files-cache file (`FilesCacheBlocks`) as a backup goes: entries in walk order, a block at a time,
/// to a temporary file that `commit` renames over the old one (`AtomicFileWriter`).
final class FilesCacheWriter {
    private let file: AtomicFileWriter
    private var blocks = FilesCacheBlocks()
    private var pending: [UInt8] = []
    private var lastPath: [UInt8]?
    private(set) var count = 0

    init(_ path: String) throws {
        file = try AtomicFileWriter(path)
        try FilesCacheBlocks.magic.withUnsafeBytes(file.append)
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
        try block.withUnsafeBytes(file.append)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the last block and the end, and puts the file in place.
    func commit() throws {
        try flush()
        try blocks.end(count: count).withUnsafeBytes(file.append)
        try file.commit()
    }

    func abandon() { file.abandon() }
}

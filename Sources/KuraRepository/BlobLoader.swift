import Foundation
import KuraSystem
import KuraStorage

/// Loads blobs by id: index lookup, then read, decrypt, decompress and verify, on every core
/// when asked for several at once.
public final class BlobLoader: Sendable {
    private let repository: Repository
    private let index: MasterIndex
    private let readers: ObjectPool<PackReader>

    /// Raised once per process, before any loader opens packs on every core.
    private static let openFileLimitRaised: Void = Posix.raiseOpenFileLimit()

    public init(repository: Repository, index: MasterIndex) throws {
        guard !repository.isWriteOnly else { throw RepositoryError.writeOnly }
        Self.openFileLimitRaised
        self.repository = repository
        self.index = index
        let backend = repository.backend, key = repository.key
        readers = ObjectPool { try PackReader(backend: backend, key: key) }
    }

    public func load(_ id: BlobID) throws -> [UInt8] {
        guard let (pack, entry) = index.lookup(id) else {
            throw RepositoryError(.damaged, "blob \(id.short) is not in the index")
        }
        return try readers.with { try $0.read(pack: pack, entry: entry) }
    }

    /// Several blobs at once, in order.
    public func load(_ ids: [BlobID]) throws -> [[UInt8]] {
        var out = [[UInt8]](repeating: [], count: ids.count)
        try out.withUnsafeMutableBufferPointer { buffer in
            try parallelFor(ids.count) { i in buffer[i] = try self.load(ids[i]) }
        }
        return out
    }

    public func loadTree(_ id: BlobID) throws -> Tree {
        try Tree.decode(try load(id), id: id)
    }

    /// Writes a file node's content to `fd` in order: while one batch of chunks is written, the
    /// next is read, decrypted and decompressed on every core.
    public func write(_ content: [BlobID], to fd: Int32, path: String, progress: ((Int) -> Void)? = nil) throws {
        try stream(content) { chunk in
            try Posix.writeFully(fd, chunk, path: path)
            progress?(chunk.count)
        }
    }

    /// Hands a file node's content to `consume` chunk by chunk, in order. Workers read, decrypt,
    /// decompress and verify the chunks ahead of it, each starting as soon as a window slot frees,
    /// so no core waits for the slowest chunk of a batch; the window bounds the memory. The pack
    /// ranges of the chunks after the window are read ahead meanwhile: into the page cache for a
    /// local repository, into memory in large merged reads (`PackSpans`) from an object store.
    public func stream(_ content: [BlobID], into consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !content.isEmpty else { return }
        let window = max(6, 3 * ProcessInfo.processInfo.activeProcessorCount)
        let results = InOrderResults<[UInt8]>()
        let workers = DispatchGroup()
        let backend = repository.backend
        // A one-chunk file is one request either way, without threads to start.
        let spans = backend.readsAreRequests && content.count > 1
            ? PackSpans(content: content, index: index, backend: backend, ahead: Self.spansAhead, fetchers: Self.spanFetchers)
            : nil
        let prefetcher = spans == nil ? PackPrefetcher(backend: backend) : nil
        var prefetched = 0
        var launched = 0
        func launch() {
            let i = launched
            launched += 1
            while let prefetcher, prefetched < min(content.count, launched + 4 * window) {
                if let (pack, entry) = index.lookup(content[prefetched]) { prefetcher.prefetch(pack: pack, entry: entry) }
                prefetched += 1
            }
            spans?.launched(i)
            DispatchQueue.global().async(group: workers) { results.finish(i, Result { try self.load(content[i], from: spans, chunk: i) }) }
        }
        defer { spans?.stop() }
        defer { workers.wait() }
        while launched < min(window, content.count) { launch() }
        for i in content.indices {
            guard let chunk = try results.take(i) else { break }
            if launched < content.count { launch() }
            try chunk.withUnsafeBytes(consume)
            spans?.consumed(i)
        }
    }

    /// Spans of up to `PackSpans.maximumSpan` held ahead of the chunk being consumed.
    static let spansAhead = 6
    /// Ranged reads in flight at once from an object store.
    static let spanFetchers = 4

    /// Chunk `i` of a stream: decoded from its span's bytes when they were read ahead, otherwise read on its own
    /// (which also names the damage when a span's read failed).
    private func load(_ id: BlobID, from spans: PackSpans?, chunk i: Int) throws -> [UInt8] {
        guard let spans, let s = spans.spanOf[i], let bytes = spans.bytes(s), let (pack, entry) = index.lookup(id) else {
            return try load(id)
        }
        let span = spans.spans[s]
        return try readers.with { try $0.read(pack: pack, entry: entry, span: bytes, spanStart: span.range.lowerBound) }
    }

    /// Calls `visit` for every node under `tree`, depth first, with its path relative to the snapshot root.
    public func walk(_ tree: BlobID, prefix: String = "", visit: (String, Node) throws -> Void) throws {
        for node in try loadTree(tree).nodes {
            let path = prefix + "/" + node.name
            try visit(path, node)
            if node.type == .directory, let subtree = node.subtree { try walk(subtree, prefix: path, visit: visit) }
        }
    }

    /// The node at `path` (e.g. "crm.sql" or "/home/a/file") in the snapshot whose root tree is `root`.
    public func find(_ path: String, root: BlobID) throws -> Node {
        var tree = root
        let parts = path.split(separator: "/").map(String.init)
        guard !parts.isEmpty else { throw RepositoryError(.pathNotFound, "give a path inside the snapshot") }
        for (i, part) in parts.enumerated() {
            guard let node = try loadTree(tree).nodes.first(where: { $0.name == part }) else {
                throw RepositoryError(.pathNotFound, "no \(path) in the snapshot")
            }
            if i == parts.count - 1 { return node }
            guard node.type == .directory, let subtree = node.subtree else {
                throw RepositoryError(.pathNotFound, "no \(path) in the snapshot")
            }
            tree = subtree
        }
        throw RepositoryError(.pathNotFound, "no \(path) in the snapshot")
    }
}

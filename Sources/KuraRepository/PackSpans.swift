import Foundation
import KuraStorage

/// The pack byte ranges a stream of chunks needs, for a backend where every read is a request to a
/// remote store (S3). Reading chunk by chunk costs one round trip each (about a thousand for a 1 GB
/// dump, each waiting on the store); merged, the chunks of a pack that a file wrote in order come
/// back in a few large ranged reads. Spans are fetched ahead of the chunks being decoded by a few
/// threads of their own, at most `ahead` spans at a time, so memory stays bounded by
/// `ahead × maximumSpan` whatever the file's size; a span is dropped once its last chunk is consumed.
///
/// `@unchecked Sendable`: `states`, `frontier` and `stopped` are touched only with `condition` held;
/// `spans` and `spanOf` are constant after `init`.
final class PackSpans: @unchecked Sendable {
    struct Span {
        let pack: BlobID
        var range: Range<Int>
        /// The index of the last chunk that reads from it.
        var lastUse: Int
    }

    private enum State {
        case waiting
        case fetching
        case loaded([UInt8])
        /// The fetch failed: the chunks it holds are read one by one instead, which names the damage precisely.
        case failed
        case released
    }

    /// A span never spans more than this, and a blob longer than it is read on its own. Under 4 MiB,
    /// so a span's buffer comes from the heap and is reused (the CLI gives larger blocks back to the
    /// system on free, which would cost a page fault per 4 KiB of every span).
    static let maximumSpan = (4 << 20) - (64 << 10)
    /// Bytes between two needed blobs that are read rather than asked for separately.
    static let maximumGap = 512 << 10

    let spans: [Span]
    /// For each chunk of the stream, the span that holds it (nil: read it on its own).
    let spanOf: [Int?]
    private let backend: any Backend
    private let ahead: Int
    private let condition = NSCondition()
    private var states: [State]
    /// The span of the chunk being consumed; spans up to `frontier + ahead` may be fetched.
    private var frontier = 0
    /// The last span a chunk handed to a decoding worker reads: fetched whatever `ahead` says, since
    /// that worker waits for it.
    private var needed = -1
    private var nextToFetch = 0
    private var stopped = false
    private var fetchers: [DispatchGroup] = []

    init(content: [BlobID], index: MasterIndex, backend: any Backend, ahead: Int, fetchers: Int) {
        var spans: [Span] = []
        var spanOf = [Int?](repeating: nil, count: content.count)
        for (i, id) in content.enumerated() {
            guard let (pack, entry) = index.lookup(id), Int(entry.length) <= Self.maximumSpan else { continue }
            let start = Int(entry.offset), end = start + Int(entry.length)
            if let last = spans.last, last.pack == pack, start >= last.range.lowerBound,
               start <= last.range.upperBound + Self.maximumGap, end - last.range.lowerBound <= Self.maximumSpan {
                spans[spans.count - 1].range = last.range.lowerBound..<max(last.range.upperBound, end)
                spans[spans.count - 1].lastUse = i
            } else {
                // A span at the pack's first blob takes in the pack's head, whose sealed pack key the
                // readers need: one request fewer per pack and reader.
                let from = start == PackFormat.blobsOffset ? 0 : start
                spans.append(Span(pack: pack, range: from..<end, lastUse: i))
            }
            spanOf[i] = spans.count - 1
        }
        self.spans = spans
        self.spanOf = spanOf
        self.backend = backend
        self.ahead = max(1, ahead)
        states = [State](repeating: .waiting, count: spans.count)
        for n in 0..<min(max(1, fetchers), spans.count) {
            self.fetchers.append(startDedicatedThread(name: "kura-fetch-\(n)") { [self] in fetchLoop() })
        }
    }

    /// Ends the fetchers (after the stream, or when it stops early) and waits for them.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        for fetcher in fetchers { fetcher.wait() }
        fetchers = []
    }

    /// The span's bytes, once fetched; nil when the fetch failed (or the span was released).
    func bytes(_ span: Int) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch states[span] {
            case .loaded(let bytes): return bytes
            case .failed, .released: return nil
            case .waiting, .fetching:
                if stopped { return nil }
                condition.wait()
            }
        }
    }

    /// Chunk `index` went to a worker, which will wait for its span.
    func launched(_ index: Int) {
        guard let span = spanOf[index] else { return }
        condition.lock()
        defer { condition.unlock() }
        if span > needed { needed = span; condition.broadcast() }
    }

    /// Chunk `index` was consumed: its span moves the frontier, and is dropped if nothing later reads it.
    func consumed(_ index: Int) {
        guard let span = spanOf[index] else { return }
        condition.lock()
        defer { condition.unlock() }
        if span > frontier { frontier = span; condition.broadcast() }
        if spans[span].lastUse == index { states[span] = .released }
    }

    private func fetchLoop() {
        while let span = nextSpan() {
            let wanted = spans[span]
            let result = try? backend.load(.pack(wanted.pack), range: Int64(wanted.range.lowerBound)..<Int64(wanted.range.upperBound))
            condition.lock()
            if case .fetching = states[span] {
                states[span] = result.map { $0.count == wanted.range.count ? .loaded($0) : .failed } ?? .failed
            }
            condition.broadcast()
            condition.unlock()
        }
    }

    private func nextSpan() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && nextToFetch < spans.count && nextToFetch >= frontier + ahead && nextToFetch > needed {
            condition.wait()
        }
        guard !stopped, nextToFetch < spans.count else { return nil }
        let span = nextToFetch
        nextToFetch += 1
        states[span] = .fetching
        return span
    }
}

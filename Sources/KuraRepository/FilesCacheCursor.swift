/// The old entries of a files cache in walk order (`FilesCacheWalkOrder`), one at a time.
protocol FilesCacheCursor: AnyObject {
    /// The entry here, as the file encodes it, valid until `advance`; nil past the last one (or the
    /// first damaged block: what follows it is as good as absent).
    var current: UnsafeRawBufferPointer? { get }
    func advance()
}

extension FilesCacheCursor {
    /// Counts the entries from here to the end (tests, `FilesCache.count`).
    func countRemaining() -> Int {
        var n = 0
        while current != nil { n += 1; advance() }
        return n
    }
}

/// The entries of a file in an older format (`KURAFC01`, `KURAFC02`, the JSON before them), loaded whole and
/// sorted into walk order once; the backup that reads one writes the current format.
final class FilesCacheEntriesCursor: FilesCacheCursor {
    private let entries: FilesCacheEntries
    private let order: [Int]
    private var at = 0

    init(_ entries: FilesCacheEntries) {
        self.entries = entries
        order = entries.locationsInWalkOrder()
    }

    private init(_ entries: FilesCacheEntries, order: [Int]) {
        self.entries = entries
        self.order = order
    }

    /// Another cursor over the same entries, from the first.
    func rewound() -> FilesCacheEntriesCursor { FilesCacheEntriesCursor(entries, order: order) }

    var current: UnsafeRawBufferPointer? { at < order.count ? entries.bytes(at: order[at]) : nil }

    func advance() { if at < order.count { at += 1 } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growing array of plain values in one block from `realloc(3)`, for tables of millions of records
/// (the in-memory index). A Swift array grows by copying into a buffer twice the size, so for a moment
/// both copies are resident; glibc moves a large block's pages with `mremap(2)` instead, so the peak
/// is the array itself. The capacity grows by a quarter at a time for the same reason.
public struct RecordArray<Element: BitwiseCopyable>: ~Copyable {
    public private(set) var count = 0
    private var capacity = 0
    private var base: UnsafeMutablePointer<Element>?

    public init() {}

    deinit { free(base) }

    public subscript(_ i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "RecordArray index \(i) out of 0..<\(count)")
            return base![i]
        }
        set {
            precondition(i >= 0 && i < count, "RecordArray index \(i) out of 0..<\(count)")
            base![i] = newValue
        }
    }

    /// `realloc(3)`: the block grows as needed; out of memory is fatal, as for any Swift allocation.
    public mutating func append(_ element: Element) {
        if count == capacity { reserve(Swift.max(1024, capacity + capacity / 4)) }
        base![count] = element
        count += 1
    }

    /// Appends every element of `more`.
    public mutating func append(contentsOf more: UnsafeBufferPointer<Element>) {
        guard !more.isEmpty else { return }
        if count + more.count > capacity { reserve(Swift.max(count + more.count, 1024, capacity + capacity / 4)) }
        (base! + count).update(from: more.baseAddress!, count: more.count)
        count += more.count
    }

    /// Makes room for `total` elements (never shrinks).
    public mutating func reserve(_ total: Int) {
        guard total > capacity else { return }
        guard let grown = realloc(base, total * MemoryLayout<Element>.stride) else {
            fatalError("out of memory: \(total * MemoryLayout<Element>.stride) bytes for \(total) records")
        }
        base = grown.assumingMemoryBound(to: Element.self)
        capacity = total
    }

    /// The elements in place, valid until the next `append` or `reserve` (which may move them).
    public var unsafeElements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// The elements, for a loop that must not pay a bounds check per element.
    public func withElements<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}

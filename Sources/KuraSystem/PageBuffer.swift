/// A growing byte buffer in pages of its own (`Posix.mapPages`), given back to the system the moment
/// it is freed. For large buffers that worker threads fill and drop (a pack waiting for its upload):
/// from the heap, glibc would keep each one in the freeing thread's arena for reuse, and a backup to
/// S3 peaked 70 MiB above the same backup to a local disk. Pages are touched only as bytes arrive,
/// so the capacity reserved costs address space, not memory.
public final class PageBuffer {
    public private(set) var count = 0
    private var region: UnsafeMutableRawBufferPointer
    private let what: String

    /// `what` names the buffer in errors (a pack's location).
    public init(capacity: Int, for what: String) throws {
        self.what = what
        region = try Posix.mapPages(Self.roundedToPages(max(capacity, 1)), for: what)
    }

    deinit { Posix.unmapPages(region) }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: region[..<count]) }

    public func append(_ more: UnsafeRawBufferPointer) throws {
        guard !more.isEmpty else { return }
        if count + more.count > region.count {
            let larger = try Posix.mapPages(Self.roundedToPages(max(region.count * 2, count + more.count)), for: what)
            larger.copyMemory(from: bytes)
            Posix.unmapPages(region)
            region = larger
        }
        UnsafeMutableRawBufferPointer(rebasing: region[count...]).copyMemory(from: more)
        count += more.count
    }

    /// Drops the bytes and gives their pages back; the buffer is empty after.
    public func release() {
        Posix.unmapPages(region)
        region = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        count = 0
    }

    private static func roundedToPages(_ bytes: Int) -> Int { (bytes + 4095) & ~4095 }
}

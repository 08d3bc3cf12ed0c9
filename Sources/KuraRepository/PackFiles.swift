import Glibc
import KuraSystem

/// Read-only descriptors of pack files by pack id, opened on first use. At most `limit` stay
/// open, and the next one closes them all: restores go through packs roughly in order, so a few
/// suffice, and every worker thread has its own set, so a large set on a many-core host would
/// run into the open-file limit (1,024 by default).
final class PackFiles {
    static let limit = 16

    private let layout: RepositoryLayout
    private var open: [BlobID: Int32] = [:]

    init(layout: RepositoryLayout) { self.layout = layout }

    deinit { for fd in open.values { Posix.close(fd) } }

    /// The pack's descriptor, opened now (`open(2)`) or earlier.
    func descriptor(_ pack: BlobID) throws -> Int32 {
        if let fd = open[pack] { return fd }
        if open.count >= Self.limit { for fd in open.values { Posix.close(fd) }; open.removeAll() }
        let fd = try Posix.open(layout.packPath(pack), O_RDONLY)
        open[pack] = fd
        return fd
    }
}

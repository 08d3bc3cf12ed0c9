import Glibc

/// Read-only descriptors of pack files by pack id, opened on first use. At most 64 stay open:
/// the 65th closes them all (restores and checks go through packs roughly in order).
final class PackFiles {
    private let layout: RepositoryLayout
    private var open: [BlobID: Int32] = [:]

    init(layout: RepositoryLayout) { self.layout = layout }

    deinit { for fd in open.values { Posix.close(fd) } }

    /// The pack's descriptor, opened now (`open(2)`) or earlier.
    func descriptor(_ pack: BlobID) throws -> Int32 {
        if let fd = open[pack] { return fd }
        if open.count >= 64 { for fd in open.values { Posix.close(fd) }; open.removeAll() }
        let fd = try Posix.open(layout.packPath(pack), O_RDONLY)
        open[pack] = fd
        return fd
    }
}

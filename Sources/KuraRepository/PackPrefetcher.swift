import Glibc

/// Asks the kernel to read ahead the pack byte ranges that the next chunks of a restore need.
/// Workers each read every few blobs through their own descriptors, a pattern the kernel's own
/// readahead does not follow, so on a cold cache each of them waited on the disk for one blob at
/// a time while its core idled; advised ranges are in the page cache by the time they are read.
final class PackPrefetcher {
    private let layout: RepositoryLayout
    private var files: [BlobID: Int32] = [:]

    init(layout: RepositoryLayout) { self.layout = layout }

    deinit { for fd in files.values { Posix.close(fd) } }

    func prefetch(pack: BlobID, entry: PackEntry) {
        guard let fd = file(pack) else { return }
        Posix.adviseWillNeed(fd, offset: Int(entry.offset), length: Int(entry.length))
    }

    /// nil when the pack does not open: the read that needs it reports why.
    private func file(_ pack: BlobID) -> Int32? {
        if let fd = files[pack] { return fd }
        if files.count >= 64 { for fd in files.values { Posix.close(fd) }; files.removeAll() }
        guard let fd = try? Posix.open(layout.packPath(pack), O_RDONLY) else { return nil }
        files[pack] = fd
        return fd
    }
}

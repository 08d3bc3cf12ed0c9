import KuraSystem

/// Asks the kernel to read ahead the pack byte ranges that the next chunks of a restore need.
/// Workers each read every few blobs through their own descriptors, a pattern the kernel's own
/// readahead does not follow, so on a cold cache each of them waited on the disk for one blob at
/// a time while its core idled; advised ranges are in the page cache by the time they are read.
final class PackPrefetcher {
    private let files: PackFiles

    init(layout: RepositoryLayout) { files = PackFiles(layout: layout) }

    /// A pack that does not open is passed over: the read that needs it reports why.
    func prefetch(pack: BlobID, entry: PackEntry) {
        guard let fd = try? files.descriptor(pack) else { return }
        Posix.adviseWillNeed(fd, offset: Int(entry.offset), length: Int(entry.length))
    }
}

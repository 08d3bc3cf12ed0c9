import KuraStorage

/// Asks the kernel to read ahead the pack byte ranges that the next chunks of a restore need.
/// Workers each read every few blobs through their own descriptors, a pattern the kernel's own
/// readahead does not follow, so on a cold cache each of them waited on the disk for one blob at
/// a time while its core idled; advised ranges are in the page cache by the time they are read.
/// Only a local repository has a page cache to warm; elsewhere this does nothing.
final class PackPrefetcher {
    private let files: PackFiles

    init(backend: any Backend) { files = PackFiles(backend: backend) }

    func prefetch(pack: BlobID, entry: PackEntry) {
        files.adviseWillNeed(pack, offset: Int(entry.offset), length: Int(entry.length))
    }
}

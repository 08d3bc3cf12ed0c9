import KuraStorage
import KuraSystem

/// When the in-memory part of an index is moved to disk.
struct IndexCachePolicy {
    /// Records held in memory before they are spilled to a table on disk.
    var spillRecords = 65_536
    /// The cache file is written again once this many records were read from index files it does not name (or
    /// any were spilled): smaller additions, a night's backup of a few changed files, stay in memory.
    var rewriteAfter = 65_536
}

extension MasterIndex {
    /// As `load(backend:key:warn:)`, keeping the records in `cacheDirectory` (`IndexCacheFile`): the index files
    /// the cache names are not read again, the others are read into memory (spilling to disk as they grow), and
    /// when they bring many records the cache is written again with them, so a large index is looked up on disk.
    /// A cache that is missing, fails its checks or names an index file the repository no longer has (prune
    /// rewrote it) is made again from the index files; a damaged index file, or a directory that cannot be
    /// written, means the whole index is loaded into memory as before, with the damage reported.
    static func load(backend: any Backend, key: MasterKey, cacheDirectory: String,
                     policy: IndexCachePolicy = IndexCachePolicy(), warn: @escaping (String) -> Void = { _ in }) throws -> MasterIndex {
        guard (try? FilesCache.makeCacheDirectory(cacheDirectory)) != nil else { return try load(backend: backend, key: key, warn: warn) }
        let ids = try backend.ids(.index)
        let path = cacheDirectory + "/" + IndexCacheFile.fileName
        FilesCache.removeAbandonedNextFiles(of: path)
        var cache = IndexCacheFile.open(path: path, key: key)
        if let opened = cache, !Set(ids).isSuperset(of: opened.covered) { cache = nil }
        var skipped = Set<BlobID>()
        while true {
            switch try layered(backend: backend, key: key, ids: ids, skipping: skipped, cache: cache, directory: cacheDirectory, policy: policy) {
            case .loaded(let index, let added):
                if added >= policy.rewriteAfter || index.recordsOnDisk > (cache?.table.count ?? 0) {
                    try? index.moveToCache(path: path, key: key)
                }
                return index
            case .superseded(let more):
                // A file read supersedes one already taken (a prune or repair cut off before deleting what it
                // replaced): read them again without it, and without a cache that may hold it.
                skipped.formUnion(more)
                cache = nil
            case .damaged:
                return try load(backend: backend, key: key, warn: warn)
            }
        }
    }

    private enum LayeredLoad {
        case loaded(MasterIndex, added: Int)
        case superseded(Set<BlobID>)
        case damaged
    }

    private static func layered(backend: any Backend, key: MasterKey, ids: [BlobID], skipping: Set<BlobID>, cache: IndexCacheFile?,
                                directory: String, policy: IndexCachePolicy) throws -> LayeredLoad {
        let index = MasterIndex(spillDirectory: directory, spillRecords: policy.spillRecords)
        var taken = Set<BlobID>()
        if let cache {
            index.adopt(cache)
            taken = Set(cache.covered)
        }
        var superseded = Set<BlobID>()
        var added = 0
        for id in ids where !taken.contains(id) && !skipping.contains(id) {
            let file: IndexFile
            do {
                file = try IndexFile.read(backend: backend, id: id, key: key)
            } catch let error as RepositoryError where error.code == .damaged {
                return .damaged
            }
            superseded.formUnion(file.supersedes)
            guard !superseded.contains(id) else { continue }
            index.appendFile(id)
            taken.insert(id)
            for (pack, entries) in file.packs {
                index.add(pack: pack, entries: entries)
                added += entries.count
            }
        }
        let late = taken.intersection(superseded)
        return late.isEmpty ? .loaded(index, added: added) : .superseded(late)
    }
}

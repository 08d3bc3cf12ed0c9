import Foundation
import KuraSystem
import KuraStorage

/// `kura repair index`: rebuilds the index from the packs themselves. Every pack's header is read (a full key
/// is needed: headers are sealed under pack keys); new index files listing every readable pack are written,
/// the last of them superseding every old index file, and only then are the old files removed, so a crash at
/// any moment leaves either the old index or the new one in force. A pack whose header does not read keeps the
/// entries an intact old index file gave it, if any.
public struct IndexRepairer {
    public struct Report: Codable, Sendable {
        public var dryRun = false
        public var packs = 0
        public var packsRead = 0
        /// Packs whose header did not read but whose entries an intact old index file had.
        public var packsFromOldIndex: [String] = []
        /// Packs whose header did not read and that no intact index file listed: their blobs are not indexed.
        public var packsUnreadable: [String] = []
        public var blobs = 0
        public var indexFilesBefore = 0
        public var indexFilesDamaged: [String] = []
        public var indexFilesWritten = 0
        public var indexFilesRemoved = 0

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run", packs, packsRead = "packs_read", packsFromOldIndex = "packs_from_old_index",
                 packsUnreadable = "packs_unreadable", blobs, indexFilesBefore = "index_files_before",
                 indexFilesDamaged = "index_files_damaged", indexFilesWritten = "index_files_written",
                 indexFilesRemoved = "index_files_removed"
        }
    }

    private let repository: Repository
    /// Called after each step that changes the repository (the CLI's `KURA_TEST_KILL_AT` counts these).
    public var onStep: ((String) throws -> Void)?

    public init(repository: Repository) {
        self.repository = repository
    }

    public func run(dryRun: Bool) throws -> Report {
        try repository.requireFullKey(to: "rebuild the index (pack headers are sealed under pack keys)")
        let backend = repository.backend
        var report = Report(dryRun: dryRun)
        let old = try backend.ids(.index)
        report.indexFilesBefore = old.count
        let intact = MasterIndex()
        for id in old {
            do {
                for (pack, entries) in try IndexFile.read(backend: backend, id: id, key: repository.key).packs {
                    intact.add(pack: pack, entries: entries)
                }
            } catch let error as RepositoryError where error.code == .damaged {
                report.indexFilesDamaged.append(id.hex)
            }
        }
        let fromOld = try intact.entriesByPack()
        let reader = try PackReader(backend: backend, key: repository.key)
        var listed: [(BlobID, [PackEntry])] = []
        for pack in try backend.ids(.data).sorted() {
            report.packs += 1
            do {
                let entries = try reader.entries(of: pack)
                listed.append((pack, entries))
                report.packsRead += 1
                report.blobs += entries.count
            } catch let error as RepositoryError where error.code == .damaged {
                if let entries = fromOld[pack] {
                    listed.append((pack, entries))
                    report.packsFromOldIndex.append(pack.hex)
                    report.blobs += entries.count
                    repository.warn("\(error.message); its entries are kept from the old index")
                } else {
                    report.packsUnreadable.append(pack.hex)
                    repository.warn("\(error.message); its blobs are left out of the new index")
                }
            }
        }
        let perFile = Pruner.packsPerIndexFile
        var chunks = stride(from: 0, to: listed.count, by: perFile).map { Array(listed[$0..<min(listed.count, $0 + perFile)]) }
        if chunks.isEmpty { chunks = [[]] }
        report.indexFilesWritten = chunks.count
        report.indexFilesRemoved = old.count
        guard !dryRun else { return report }
        var written = Set<BlobID>()
        for (i, chunk) in chunks.enumerated() {
            let last = i == chunks.count - 1
            let id = try IndexFile(supersedes: last ? old : [], packs: chunk).write(backend: backend, key: repository.key)
            written.insert(id)
            try onStep?("wrote index file \(id.short)" + (last ? " superseding \(old.count) old ones" : ""))
        }
        var removed = 0
        for id in old where !written.contains(id) {
            try backend.remove(.index(id))
            removed += 1
            try onStep?("removed index file \(id.short)")
        }
        report.indexFilesRemoved = removed
        return report
    }
}

import Foundation
import KuraCatalog
import KuraRepository
import KuraSystem

extension Kura.Backup {
    /// Tells the catalog (`--catalog` or `KURA_CATALOG`, if either is set) about the snapshot just made, as an
    /// unsigned machine event of this host. A backup the catalog could not record exits 1 (its snapshot stays).
    func recordInCatalog(_ result: (id: BlobID, snapshot: Snapshot), repository repo: Repository, partial: Bool) throws {
        let environment = ProcessInfo.processInfo.environment["KURA_CATALOG"]
        guard let path = [catalog, environment].compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return }
        let summary = result.snapshot.summary
        let run = BackupRun(repositoryID: repo.id.hex, snapshotID: result.id.hex, host: result.snapshot.hostname,
                            sources: result.snapshot.paths, bytes: summary?.bytesRead ?? 0, snapshotTime: result.snapshot.time,
                            duration: summary?.duration ?? 0, result: partial ? .partial : .success)
        do {
            try CatalogOptions.open(at: path).recordBackup(run, reporter: LocalHost.name)
        } catch {
            throw CommandFailure("snapshot \(result.id.short) was saved, but catalog \(path) could not record it: \(error)")
        }
    }
}

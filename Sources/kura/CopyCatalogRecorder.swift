import Foundation
import KuraCatalog
import KuraRepository
import KuraSystem

/// Tells the catalog (`--catalog` or `KURA_CATALOG`) about each snapshot `kura copy` copied, as an unsigned
/// machine event of this host, so `kura report` can show the offsite copy of each source.
struct CopyCatalogRecorder {
    let path: String
    let catalog: Catalog

    /// Nil when neither `--catalog` nor `KURA_CATALOG` names a catalog.
    init?(catalogPath: String?) throws {
        let environment = ProcessInfo.processInfo.environment["KURA_CATALOG"]
        guard let path = [catalogPath, environment].compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return nil }
        self.path = path
        catalog = try CatalogOptions.open(at: path)
    }

    func record(_ result: Kura.CopyResult, from source: Repository, to destination: Repository) throws {
        guard let copy = result.copy?.id else { return }
        let snapshot = result.source.snapshot
        let run = RepositoryCopyRun(sourceRepositoryID: snapshot.copiedFrom?.repository ?? source.id.hex,
                                    sourceSnapshotID: snapshot.copiedFrom?.snapshot ?? result.source.id.hex,
                                    destinationRepositoryID: destination.id.hex, destinationSnapshotID: copy.hex,
                                    host: snapshot.hostname, sources: snapshot.paths, snapshotTime: snapshot.time,
                                    bytesSent: result.bytesStored, duration: result.seconds)
        do {
            try catalog.recordRepositoryCopy(run, reporter: LocalHost.name)
        } catch {
            throw CommandFailure("snapshot \(result.source.id.short) was copied as \(copy.short), but catalog \(path) could not record it: \(error)")
        }
    }
}

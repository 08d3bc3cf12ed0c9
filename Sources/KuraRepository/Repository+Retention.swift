import Foundation
import KuraSystem
import KuraStorage

extension Repository {
    /// Deletes snapshot files (the data they used stays until `prune`). Each deletion is atomic, so a crash
    /// leaves every snapshot either whole or gone. Hold the exclusive lock.
    public func forget(_ ids: [BlobID]) throws {
        try requireFullKey(to: "forget snapshots")
        for id in ids { try backend.remove(.snapshot(id)) }
    }

    /// The snapshot a unique id prefix names, found from the file names alone (no password needed).
    public static func snapshotID(in backend: any Backend, prefix: String) throws -> BlobID {
        _ = try readConfig(from: backend)
        let matches = try backend.ids(.snapshots).filter { $0.hex.hasPrefix(prefix.lowercased()) }
        guard !prefix.isEmpty, let first = matches.first else { throw RepositoryError(.snapshotNotFound, "no snapshot \(prefix)") }
        guard matches.count == 1 else {
            throw RepositoryError(.invalidArgument, "snapshot id \(prefix) is ambiguous: it starts \(matches.count) snapshots")
        }
        return first
    }
}

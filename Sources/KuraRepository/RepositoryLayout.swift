import KuraCrypto
import KuraSystem

/// Where each kind of file lives under the repository directory.
package struct RepositoryLayout: Sendable {
    package let root: String

    package init(root: String) { self.root = root }

    var configPath: String { root + "/config" }
    var keysDirectory: String { root + "/keys" }
    var dataDirectory: String { root + "/data" }
    var indexDirectory: String { root + "/index" }
    var snapshotsDirectory: String { root + "/snapshots" }
    var locksDirectory: String { root + "/locks" }
    /// Created by the first hold; repositories without holds have none.
    var holdsDirectory: String { root + "/holds" }

    func keyPath(_ id: String) -> String { keysDirectory + "/" + id }
    package func packDirectory(_ id: BlobID) -> String { dataDirectory + "/" + String(id.hex.prefix(2)) }
    package func packPath(_ id: BlobID) -> String { packDirectory(id) + "/" + id.hex }
    func indexPath(_ id: BlobID) -> String { indexDirectory + "/" + id.hex }
    func snapshotPath(_ id: BlobID) -> String { snapshotsDirectory + "/" + id.hex }
    func lockPath(_ id: String) -> String { locksDirectory + "/" + id }
    func holdPath(_ id: BlobID) -> String { holdsDirectory + "/" + id.hex }

    /// A pack being written; `data/` so the final rename stays on one file system.
    func temporaryPackPath() -> String { dataDirectory + "/.tmp-" + Hex.encode(RandomBytes.generate(16)) }

    /// Ids of the files in a directory whose names are 64 hex digits (others are ignored).
    func ids(in directory: String) throws -> [BlobID] {
        try Posix.listDirectory(directory).compactMap { name in BlobID(hex: name).flatMap { $0.hex == name ? $0 : nil } }
    }

    /// Every pack file, by walking `data/XX/`.
    func packIDs() throws -> [BlobID] {
        var ids: [BlobID] = []
        for sub in try Posix.listDirectory(dataDirectory) where sub.utf8.count == 2 {
            ids += try self.ids(in: dataDirectory + "/" + sub)
        }
        return ids
    }
}

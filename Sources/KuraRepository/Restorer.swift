import Foundation
import Glibc

/// Restores a snapshot into a directory: contents, modes, owners (as root), mtimes, symlinks
/// and hard links. Directory metadata is applied after the directory's contents.
public final class Restorer {
    public struct Statistics: Sendable, Codable {
        public var files = 0
        public var directories = 0
        public var symlinks = 0
        public var bytes: Int64 = 0
    }

    private let loader: BlobLoader
    private let includes: [String]
    private var target: RestoreTarget?
    private var hardLinks: [String: String] = [:]
    public private(set) var statistics = Statistics()
    public var onProgress: ((Int64) -> Void)?

    public init(loader: BlobLoader, includes: [String]) {
        self.loader = loader
        self.includes = includes
    }

    public func restore(_ snapshot: Snapshot, to target: String) throws {
        self.target = try RestoreTarget(root: target)
        _ = try restoreTree(snapshot.tree, path: "", target: target, included: includes.isEmpty)
    }

    private func isIncluded(_ path: String, name: String) -> Bool {
        IncludeFilter(includes).matches(path, name: name)
    }

    /// Restores the entries of a tree into `target`; returns whether anything was restored.
    private func restoreTree(_ tree: BlobID, path: String, target: String, included: Bool) throws -> Bool {
        var restoredAny = false
        for node in try loader.loadTree(tree).nodes {
            let nodePath = path + "/" + node.name
            let destination = target + "/" + node.name
            let selected = included || isIncluded(nodePath, name: node.name)
            switch node.type {
            case .directory:
                let existed = Posix.statIfExists(destination) != nil
                try Posix.mkdir(destination, 0o700)
                let inner = try node.subtree.map { try restoreTree($0, path: nodePath, target: destination, included: selected) } ?? false
                if selected || inner {
                    try applyMetadata(node, at: destination)
                    statistics.directories += 1
                    restoredAny = true
                } else if !existed {
                    rmdir(destination)
                }
            case .file where selected:
                try restoreFile(node, at: destination)
                restoredAny = true
            case .symlink where selected:
                try self.target?.symlink(node, at: destination)
                statistics.symlinks += 1
                restoredAny = true
            default:
                continue
            }
        }
        return restoredAny
    }

    private func restoreFile(_ node: Node, at destination: String) throws {
        try? Posix.unlink(destination)
        let linkKey = "\(node.device):\(node.inode)"
        if node.links > 1, let first = hardLinks[linkKey] {
            try Posix.link(first, destination)
            statistics.files += 1
            return
        }
        let fd = try Posix.open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        do {
            try loader.write(node.content ?? [], to: fd, path: destination) { [self] n in
                statistics.bytes += Int64(n)
                onProgress?(statistics.bytes)
            }
            Posix.close(fd)
        } catch {
            Posix.close(fd)
            throw error
        }
        try applyMetadata(node, at: destination)
        if node.links > 1 { hardLinks[linkKey] = destination }
        statistics.files += 1
    }

    private func applyMetadata(_ node: Node, at path: String) throws {
        try target?.applyMetadata(node, at: path)
    }
}

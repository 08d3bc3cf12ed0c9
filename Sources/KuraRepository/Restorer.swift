import Foundation
import Glibc
import KuraSystem

/// Restores a snapshot into a directory: contents, modes, owners (as root), mtimes, symlinks
/// and hard links. Directory metadata is applied after the directory's contents. What is already
/// in the directory is compared with the snapshot first and treated by the overwrite policy (see
/// `RestoreTarget.plan`); nothing in the target is followed if it is a link.
public final class Restorer {
    public struct Statistics: Sendable, Codable {
        public var files = 0
        public var directories = 0
        public var symlinks = 0
        public var bytes: Int64 = 0
    }

    private let loader: BlobLoader
    private let filter: IncludeFilter
    private let overwrite: OverwritePolicy
    private var target: RestoreTarget?
    private var hardLinks: [String: [String]] = [:]
    public private(set) var statistics = Statistics()
    public var onProgress: ((Int64) -> Void)?

    /// Snapshot paths of the existing entries the restore replaced, and of those it left as they were.
    public var overwritten: [String] { target?.overwritten ?? [] }
    public var skipped: [String] { target?.skipped ?? [] }

    public init(loader: BlobLoader, includes: [String], overwrite: OverwritePolicy = .refuse) {
        self.loader = loader
        self.filter = IncludeFilter(includes)
        self.overwrite = overwrite
    }

    public func restore(_ snapshot: Snapshot, to root: String) throws {
        let target = try RestoreTarget(root: root, overwrite: overwrite)
        self.target = target
        try target.plan(tree: snapshot.tree, loadTree: loader.loadTree, filter: filter, sameContent: sameContent)
        _ = try restoreTree(snapshot.tree, path: [], included: filter.includesEverything, target: target)
    }

    /// Restores the entries of a tree; returns whether anything was restored.
    private func restoreTree(_ tree: BlobID, path: [String], included: Bool, target: RestoreTarget) throws -> Bool {
        var restoredAny = false
        for node in try loader.loadTree(tree).nodes {
            try RestoreTarget.checkName(node.name)
            let nodePath = path + [node.name]
            let selected = included || filter.matches("/" + nodePath.joined(separator: "/"), name: node.name)
            let decision = target.decision(nodePath)
            if decision == .keep { continue }
            switch node.type {
            case .directory:
                let inner = try node.subtree.map { try restoreTree($0, path: nodePath, included: selected, target: target) } ?? false
                if selected || inner {
                    try target.makeDirectory(nodePath)
                    try target.applyMetadata(node, at: nodePath)
                    statistics.directories += 1
                    restoredAny = true
                }
            case .file where selected:
                try restoreFile(node, at: nodePath, decision: decision, target: target)
                restoredAny = true
            case .symlink where selected:
                if decision == .metadataOnly {
                    try target.applyMetadata(node, at: nodePath)
                } else {
                    try target.symlink(node, at: nodePath)
                }
                statistics.symlinks += 1
                restoredAny = true
            default:
                continue
            }
        }
        return restoredAny
    }

    private func restoreFile(_ node: Node, at path: [String], decision: RestoreTarget.Decision, target: RestoreTarget) throws {
        let linkKey = "\(node.device):\(node.inode)"
        if decision == .metadataOnly {
            try target.applyMetadata(node, at: path)
        } else if node.links > 1, let first = hardLinks[linkKey] {
            try target.hardLink(first, at: path)
        } else {
            let fd = try target.createFile(path)
            do {
                try loader.write(node.content ?? [], to: fd, path: target.display(path)) { [self] n in
                    statistics.bytes += Int64(n)
                    onProgress?(statistics.bytes)
                }
                try target.applyMetadata(node, fd: fd, at: path)
                Posix.close(fd)
            } catch {
                Posix.close(fd)
                throw error
            }
        }
        if node.links > 1 && hardLinks[linkKey] == nil { hardLinks[linkKey] = path }
        statistics.files += 1
    }

    private struct ContentDiffers: Error {}

    /// Whether the open file holds exactly the node's content, read from the repository and compared byte by byte.
    private func sameContent(_ node: Node, _ fd: Int32, _ path: String) throws -> Bool {
        var buffer: [UInt8] = []
        do {
            try loader.stream(node.content ?? []) { chunk in
                if buffer.count < chunk.count { buffer = [UInt8](repeating: 0, count: chunk.count) }
                let same = try buffer.withUnsafeMutableBytes { raw -> Bool in
                    let part = UnsafeMutableRawBufferPointer(rebasing: raw[..<chunk.count])
                    guard try Posix.readFully(fd, into: part, path: path) == chunk.count else { return false }
                    return UnsafeRawBufferPointer(part).elementsEqual(chunk)
                }
                if !same { throw ContentDiffers() }
            }
        } catch is ContentDiffers {
            return false
        }
        var extra: UInt8 = 0
        return try withUnsafeMutableBytes(of: &extra) { try Posix.read(fd, into: $0, path: path) } == 0
    }
}

/// What changed between two snapshots, as restic's `diff` says it: paths added (`+`), removed (`-`) and
/// modified (`M`: a file's content, a symlink's target or an entry's type changed). Subtrees with the same
/// id are equal and not read.
public struct SnapshotDiff: Sendable {
    public enum Change: String, Sendable, Codable {
        case added = "+", removed = "-", modified = "M"
    }

    public struct Entry: Sendable {
        public var change: Change
        public var path: String
        public var type: Node.Kind
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var filesAdded = 0, filesRemoved = 0, filesModified = 0
        public var directoriesAdded = 0, directoriesRemoved = 0
        /// Sizes of files added or of their new content, and of files removed or of their old content.
        public var bytesAdded: UInt64 = 0, bytesRemoved: UInt64 = 0

        enum CodingKeys: String, CodingKey {
            case filesAdded = "files_added", filesRemoved = "files_removed", filesModified = "files_modified"
            case directoriesAdded = "directories_added", directoriesRemoved = "directories_removed"
            case bytesAdded = "bytes_added", bytesRemoved = "bytes_removed"
        }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var summary = Summary()

    public init(from old: BlobID, to new: BlobID, loader: BlobLoader) throws {
        try compare(old, new, prefix: "", loader: loader)
    }

    private mutating func compare(_ old: BlobID?, _ new: BlobID?, prefix: String, loader: BlobLoader) throws {
        if old == new { return }
        let oldNodes = try old.map { try loader.loadTree($0).nodes } ?? []
        let newNodes = try new.map { try loader.loadTree($0).nodes } ?? []
        let oldByName = Dictionary(oldNodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newByName = Dictionary(newNodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in Set(oldByName.keys).union(newByName.keys).sorted() {
            let path = prefix + "/" + name
            switch (oldByName[name], newByName[name]) {
            case (nil, let added?):
                record(.added, path, added)
                if added.type == .directory { try compare(nil, added.subtree, prefix: path, loader: loader) }
            case (let removed?, nil):
                record(.removed, path, removed)
                if removed.type == .directory { try compare(removed.subtree, nil, prefix: path, loader: loader) }
            case (let before?, let after?):
                if before.type != after.type {
                    record(.removed, path, before)
                    if before.type == .directory { try compare(before.subtree, nil, prefix: path, loader: loader) }
                    record(.added, path, after)
                    if after.type == .directory { try compare(nil, after.subtree, prefix: path, loader: loader) }
                } else if after.type == .directory {
                    try compare(before.subtree, after.subtree, prefix: path, loader: loader)
                } else if before.content != after.content || before.target != after.target {
                    entries.append(Entry(change: .modified, path: path, type: after.type))
                    summary.filesModified += 1
                    summary.bytesRemoved += before.size
                    summary.bytesAdded += after.size
                }
            case (nil, nil):
                break
            }
        }
    }

    private mutating func record(_ change: Change, _ path: String, _ node: Node) {
        entries.append(Entry(change: change, path: path + (node.type == .directory ? "/" : ""), type: node.type))
        switch (change, node.type) {
        case (.added, .directory): summary.directoriesAdded += 1
        case (.removed, .directory): summary.directoriesRemoved += 1
        case (.added, _):
            summary.filesAdded += 1
            summary.bytesAdded += node.size
        case (.removed, _):
            summary.filesRemoved += 1
            summary.bytesRemoved += node.size
        case (.modified, _): break
        }
    }
}

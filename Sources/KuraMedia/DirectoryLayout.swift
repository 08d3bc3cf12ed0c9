import KuraRepository

/// Restores a snapshot's tree below a directory: directories and symlinks at once, files filled
/// chunk by chunk as their packs pass, metadata applied when a file completes (directories last).
final class DirectoryLayout: ChunkLayout {
    private struct File {
        var path: String
        var node: Node
        var remaining: Int
    }

    private let target: RestoreTarget
    private let filter: IncludeFilter
    private var files: [File] = []
    private var needsMap: [BlobID: [(file: Int, offset: Int)]] = [:]
    private var directories: [(path: String, node: Node)] = []
    private var hardLinks: [(path: String, node: Node, first: Int)] = []
    /// Directories restored even when empty: all of them, or those an --include pattern selects.
    private var selectedDirectories: [String] = []
    private(set) var fileCount = 0

    init(root: String, filter: IncludeFilter, snapshot: Snapshot, trees: [BlobID: Tree], index: MasterIndex) throws {
        target = try RestoreTarget(root: root)
        self.filter = filter
        var linkFirst: [String: Int] = [:]
        var included: [String: Bool] = [:]
        try walkTrees(snapshot.tree, trees) { path, node in
            let parent = String(path[..<path.lastIndex(of: "/")!])
            let selected = filter.includesEverything || included[parent] == true || filter.matches(path, name: node.name)
            switch node.type {
            case .directory:
                included[path] = selected
                directories.append((path, node))
                if selected { selectedDirectories.append(path) }
            case .file where selected:
                let linkKey = "\(node.device):\(node.inode)"
                if node.links > 1, let first = linkFirst[linkKey] {
                    hardLinks.append((path, node, first))
                    return
                }
                let chunks = try chunkOffsets(node, index: index)
                let number = files.count
                files.append(File(path: path, node: node, remaining: chunks.count))
                for (blob, offset) in chunks { needsMap[blob, default: []].append((number, offset)) }
                if node.links > 1 { linkFirst[linkKey] = number }
            case .symlink where selected:
                files.append(File(path: path, node: node, remaining: 0))
            default:
                break
            }
        }
    }

    func start() throws {
        for path in selectedDirectories { try target.makeDirectory(target.path(path)) }
        for i in files.indices {
            let destination = target.path(files[i].path)
            target.makeDirectory(parentOf: destination)
            if files[i].node.type == .symlink {
                try target.symlink(files[i].node, at: destination)
                continue
            }
            target.close(try target.createFile(destination))
            if files[i].remaining == 0 { try complete(i) }
        }
    }

    func needs(_ blob: BlobID) -> Bool { needsMap[blob] != nil }

    func deliver(_ blob: BlobID, _ plain: [UInt8]) throws {
        guard let places = needsMap.removeValue(forKey: blob) else { return }
        for (number, offset) in places {
            let path = target.path(files[number].path)
            let fd = try target.openExisting(path)
            defer { target.close(fd) }
            try target.write(plain, at: offset, to: fd, path: path)
            files[number].remaining -= 1
            if files[number].remaining == 0 { try complete(number) }
        }
    }

    private func complete(_ number: Int) throws {
        try target.applyMetadata(files[number].node, at: target.path(files[number].path))
        fileCount += 1
    }

    func finish() throws -> [String] {
        var incomplete: [String] = []
        for file in files where file.node.type == .file && file.remaining > 0 {
            target.remove(target.path(file.path))
            incomplete.append(file.path)
        }
        for link in hardLinks where files[link.first].remaining == 0 {
            let destination = target.path(link.path)
            target.makeDirectory(parentOf: destination)
            try target.hardLink(target.path(files[link.first].path), at: destination)
            fileCount += 1
        }
        for (path, node) in directories.reversed() where target.exists(target.path(path)) {
            try target.applyMetadata(node, at: target.path(path))
        }
        return incomplete
    }
}

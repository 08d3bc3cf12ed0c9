import KuraRepository

/// Restores a snapshot's tree below a directory: directories and symlinks at once, files filled
/// chunk by chunk as their packs pass, metadata applied when a file completes (directories last).
/// What is already in the directory is compared with the snapshot before anything is written and
/// treated by the overwrite policy (`RestoreTarget.plan`); links in the target are never followed.
final class DirectoryLayout: ChunkLayout {
    private struct File {
        var path: [String]
        var node: Node
        var remaining: Int
        var decision: RestoreTarget.Decision
    }

    private let target: RestoreTarget
    private var files: [File] = []
    private var needsMap: [BlobID: [(file: Int, offset: Int)]] = [:]
    private var directories: [(path: [String], node: Node)] = []
    private var hardLinks: [(path: [String], first: Int)] = []
    /// Directories restored even when empty: all of them, or those an --include pattern selects.
    private var selectedDirectories: [[String]] = []
    /// Directories that get their metadata: selected ones and those holding something restored.
    private var restoredDirectories: Set<[String]> = []
    private(set) var fileCount = 0

    var overwritten: [String] { target.overwritten }
    var skipped: [String] { target.skipped }

    init(root: String, filter: IncludeFilter, overwrite: OverwritePolicy, snapshot: Snapshot, trees: [BlobID: Tree],
         index: MasterIndex, key: MasterKey) throws {
        target = try RestoreTarget(root: root, overwrite: overwrite)
        try target.plan(tree: snapshot.tree, loadTree: { id in
            guard let tree = trees[id] else { throw MediaError(.damaged, "tree \(id.short) is not on the medium") }
            return tree
        }, filter: filter, sameContent: { node, fd, path in
            let chunks = try chunkOffsets(node, index: index).map { blob, _ in (blob, Int(index.lookup(blob)!.entry.rawLength)) }
            return try RestoreTarget.contentMatches(fd, chunks: chunks, key: key, path: path)
        })
        var linkFirst: [String: Int] = [:]
        var included: [String: Bool] = [:]
        var kept: Set<String> = []
        try walkTrees(snapshot.tree, trees) { path, node in
            let parent = String(path[..<path.lastIndex(of: "/")!])
            // walkTrees refused any name that is not one component, so splitting the path gives the names back.
            let components = path.split(separator: "/").map(String.init)
            if kept.contains(parent) || target.decision(components) == .keep {
                if node.type == .directory { kept.insert(path) }
                return
            }
            let decision = target.decision(components)
            let selected = filter.includesEverything || included[parent] == true || filter.matches(path, name: node.name)
            switch node.type {
            case .directory:
                included[path] = selected
                directories.append((components, node))
                if selected {
                    selectedDirectories.append(components)
                    markRestored(components)
                }
            case .file where selected:
                markRestored(Array(components.dropLast()))
                let linkKey = "\(node.device):\(node.inode)"
                if decision != .metadataOnly, node.links > 1, let first = linkFirst[linkKey] {
                    hardLinks.append((components, first))
                    return
                }
                let number = files.count
                if decision == .metadataOnly {
                    files.append(File(path: components, node: node, remaining: 0, decision: decision))
                } else {
                    let chunks = try chunkOffsets(node, index: index)
                    files.append(File(path: components, node: node, remaining: chunks.count, decision: decision))
                    for (blob, offset) in chunks { needsMap[blob, default: []].append((number, offset)) }
                }
                if node.links > 1 && linkFirst[linkKey] == nil { linkFirst[linkKey] = number }
            case .symlink where selected:
                markRestored(Array(components.dropLast()))
                files.append(File(path: components, node: node, remaining: 0, decision: decision))
            default:
                break
            }
        }
    }

    private func markRestored(_ directory: [String]) {
        var path = directory
        while !path.isEmpty && restoredDirectories.insert(path).inserted { path.removeLast() }
    }

    func start() throws {
        for path in selectedDirectories { try target.makeDirectory(path) }
        for i in files.indices {
            let file = files[i]
            if file.decision == .metadataOnly {
                try target.applyMetadata(file.node, at: file.path)
                if file.node.type == .file { fileCount += 1 }
                continue
            }
            if file.node.type == .symlink {
                try target.symlink(file.node, at: file.path)
                continue
            }
            let fd = try target.createFile(file.path)
            defer { target.close(fd) }
            if file.remaining == 0 { try complete(i, fd: fd) }
        }
    }

    func needs(_ blob: BlobID) -> Bool { needsMap[blob] != nil }

    func deliver(_ blob: BlobID, _ plain: [UInt8]) throws {
        guard let places = needsMap.removeValue(forKey: blob) else { return }
        for (number, offset) in places {
            let fd = try target.openExisting(files[number].path)
            defer { target.close(fd) }
            try target.write(plain, at: offset, to: fd, path: target.display(files[number].path))
            files[number].remaining -= 1
            if files[number].remaining == 0 { try complete(number, fd: fd) }
        }
    }

    private func complete(_ number: Int, fd: Int32) throws {
        try target.applyMetadata(files[number].node, fd: fd, at: files[number].path)
        fileCount += 1
    }

    func finish() throws -> [String] {
        var incomplete: [String] = []
        for file in files where file.node.type == .file && file.remaining > 0 {
            target.remove(file.path)
            incomplete.append("/" + file.path.joined(separator: "/"))
        }
        for link in hardLinks where files[link.first].remaining == 0 {
            try target.hardLink(files[link.first].path, at: link.path)
            fileCount += 1
        }
        for (path, node) in directories.reversed() where restoredDirectories.contains(path) && target.directoryExists(path) {
            try target.applyMetadata(node, at: path)
        }
        return incomplete
    }
}

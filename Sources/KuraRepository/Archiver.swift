import Foundation
import Glibc
import KuraSystem

/// Backs up files and directories into a snapshot: walks each path, stores file contents and
/// one tree blob per directory, and records what it could not read.
public final class Archiver {
    public struct Options {
        public var excludes: [String] = []
        public var tags: [String] = []
        public var hostname: String? = nil
        /// Walk, read and count what is new, but write nothing: no pack, index, snapshot or files-cache update;
        /// `backup` then returns the snapshot it would have saved, with the id `BlobID.zero`.
        public var dryRun = false
        public init() {}
    }

    public struct Warning: Sendable {
        public var path: String
        public var message: String
    }

    private let repository: Repository
    private let saver: BlobSaver
    private let cache: FilesCache
    private let options: Options
    private let excludes: [GlobPattern]
    /// Called for each warning as it happens.
    public var onWarning: ((Warning) -> Void)?
    /// Called with bytes read so far.
    public var onProgress: ((Int64, Int) -> Void)?
    /// Called with the size of each file not read because the files cache (or a hard link) says it is stored.
    public var onUnchanged: ((Int64) -> Void)?

    private(set) public var warnings: [Warning] = []
    private var files = 0
    private var directories = 0
    private var bytesRead: Int64 = 0
    /// Backed-up paths that could be read (a snapshot needs one).
    private var targetsRead = 0
    /// Hard-linked files already stored this run, by (device, inode).
    private var hardLinks: [String: [BlobID]] = [:]

    public init(repository: Repository, index: MasterIndex, cache: FilesCache, options: Options) throws {
        self.repository = repository
        self.saver = try BlobSaver(repository: repository, index: index)
        saver.dryRun = options.dryRun
        self.cache = cache
        self.options = options
        excludes = options.excludes.map(GlobPattern.init)
    }

    /// Backs up `paths` (absolute or relative to the working directory) and writes the snapshot.
    public func backup(paths: [String]) throws -> (id: BlobID, snapshot: Snapshot) {
        let start = Posix.monotonicSeconds
        let absolute = paths.map(Self.absolutePath)
        let root = VirtualDirectory()
        for path in absolute {
            let components = path.split(separator: "/").map(String.init)
            if components.isEmpty {
                root.isTarget = true
            } else {
                root.insert(components)
            }
        }
        do {
            let rootTree: Tree
            if root.isTarget {
                rootTree = Tree(nodes: try walkDirectory("/"))
                targetsRead += 1
            } else {
                rootTree = Tree(nodes: try saveVirtual(root, path: ""))
            }
            // As restic does: a snapshot of nothing would look like a backup in every listing.
            guard targetsRead > 0 else {
                let reasons = warnings.prefix(3).map { "\($0.path): \($0.message)" }.joined(separator: "; ")
                throw RepositoryError(.sourceFailed, "no snapshot was made: none of \(absolute.joined(separator: ", ")) could be read"
                    + (reasons.isEmpty ? "" : " (\(reasons))"))
            }
            let treeID = try saver.saveTree(rootTree)
            try saver.flush()
            if !options.dryRun { cache.save() }
            let stats = saver.statistics
            let summary = Snapshot.Summary(files: files, directories: directories, bytesRead: bytesRead, bytesNew: stats.bytesNew,
                                           bytesStored: stats.bytesStored, unreadable: warnings.count,
                                           duration: Posix.monotonicSeconds - start)
            let snapshot = Snapshot(time: Date(), hostname: options.hostname ?? Posix.hostname,
                                    username: Posix.userName(Posix.effectiveUserID) ?? "uid \(Posix.effectiveUserID)",
                                    paths: absolute, tags: options.tags, tree: treeID, program: "kura", summary: summary)
            return (options.dryRun ? .zero : try repository.saveSnapshot(snapshot), snapshot)
        } catch {
            // What was stored stays indexed for the next attempt to deduplicate against; no snapshot refers to it.
            try? saver.flush()
            cache.discard()
            throw error
        }
    }

    static func absolutePath(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : Posix.currentDirectory + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The directories above the backed-up paths: recorded with their metadata, holding only
    /// what leads to a target.
    final class VirtualDirectory {
        var children: [String: VirtualDirectory] = [:]
        var isTarget = false

        func insert(_ components: [String]) {
            guard let first = components.first else { isTarget = true; return }
            let child = children[first] ?? VirtualDirectory()
            children[first] = child
            child.insert(Array(components.dropFirst()))
        }
    }

    private func saveVirtual(_ directory: VirtualDirectory, path: String) throws -> [Node] {
        var nodes: [Node] = []
        for name in directory.children.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let child = directory.children[name]!
            let childPath = path + "/" + name
            if child.isTarget {
                if let node = try archive(childPath, name: name, isTarget: true) {
                    nodes.append(node)
                    targetsRead += 1
                }
                continue
            }
            let st: stat
            do {
                st = try Posix.lstat(childPath)
            } catch {
                warn(childPath, "\(error)")
                continue
            }
            var node = node(name: name, st, type: .directory)
            node.subtree = try saver.saveTree(Tree(nodes: try saveVirtual(child, path: childPath)))
            nodes.append(node)
        }
        return nodes
    }

    /// A pattern with '/' matches the whole path (and what is below a directory it names), one without the name.
    func isExcluded(_ path: String, name: String) -> Bool {
        excludes.contains { pattern in
            pattern.text.contains("/") ? pattern.matches(path) || path.hasPrefix(pattern.text.hasSuffix("/") ? pattern.text : pattern.text + "/")
                                       : pattern.matches(name)
        }
    }

    private func warn(_ path: String, _ message: String) {
        let w = Warning(path: path, message: message)
        warnings.append(w)
        onWarning?(w)
    }

    private func walkDirectory(_ path: String) throws -> [Node] {
        let names: [String]
        do {
            names = try Posix.listDirectory(path)
        } catch {
            warn(path, "\(error)")
            return []
        }
        var nodes: [Node] = []
        for name in names {
            let childPath = path == "/" ? "/" + name : path + "/" + name
            if let node = try archive(childPath, name: name, isTarget: false) { nodes.append(node) }
        }
        return nodes
    }

    /// One filesystem object as a node; nil when it is skipped.
    private func archive(_ path: String, name: String, isTarget: Bool) throws -> Node? {
        if !isTarget && isExcluded(path, name: name) { return nil }
        let st: stat
        do {
            st = try Posix.lstat(path)
        } catch {
            warn(path, "\(error)")
            return nil
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            directories += 1
            var node = node(name: name, st, type: .directory)
            node.subtree = try saver.saveTree(Tree(nodes: try walkDirectory(path)))
            return node
        case S_IFREG:
            var node = node(name: name, st, type: .file)
            do {
                node.content = try fileContent(path, st)
            } catch let error as SystemError where error.code != .shortFile {
                warn(path, error.message)
                return nil
            }
            files += 1
            return node
        case S_IFLNK:
            var node = node(name: name, st, type: .symlink)
            do {
                node.target = try Posix.readlink(path)
            } catch {
                warn(path, "\(error)")
                return nil
            }
            return node
        default:
            let kind: String
            switch st.st_mode & S_IFMT {
            case S_IFIFO: kind = "FIFO"
            case S_IFSOCK: kind = "socket"
            case S_IFCHR: kind = "character device"
            case S_IFBLK: kind = "block device"
            default: kind = "special file"
            }
            onWarning?(Warning(path: path, message: "skipped \(kind)"))
            return nil
        }
    }

    private func fileContent(_ path: String, _ st: stat) throws -> [BlobID] {
        let size = UInt64(st.st_size)
        let mtime = Self.nanoseconds(st.st_mtim), ctime = Self.nanoseconds(st.st_ctim)
        let linkKey = "\(st.st_dev):\(st.st_ino)"
        if st.st_nlink > 1, let content = hardLinks[linkKey] { onUnchanged?(Int64(size)); return content }
        if let content = cache.lookup(path, size: size, mtime: mtime, ctime: ctime, inode: UInt64(st.st_ino), isStored: saver.has) {
            onUnchanged?(Int64(size))
            if !options.dryRun { cache.remember(path, size: size, mtime: mtime, ctime: ctime, inode: UInt64(st.st_ino), content: content) }
            if st.st_nlink > 1 { hardLinks[linkKey] = content }
            return content
        }
        let fd = try Posix.open(path, O_RDONLY | O_NOFOLLOW)
        defer { Posix.close(fd) }
        let result = try saver.saveStream(read: { try Posix.read(fd, into: $0, path: path) }, expectedSize: Int(size), progress: { [self] n in
            bytesRead += Int64(n)
            onProgress?(bytesRead, files)
        })
        if !options.dryRun { cache.remember(path, size: size, mtime: mtime, ctime: ctime, inode: UInt64(st.st_ino), content: result.ids) }
        if st.st_nlink > 1 { hardLinks[linkKey] = result.ids }
        return result.ids
    }

    static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }

    /// User and group names by id: looked up once each (getpwuid_r reads /etc/passwd every time).
    private var userNames: [uid_t: String?] = [:]
    private var groupNames: [gid_t: String?] = [:]

    func node(name: String, _ st: stat, type: Node.Kind) -> Node {
        if userNames[st.st_uid] == nil { userNames[st.st_uid] = .some(Posix.userName(st.st_uid)) }
        if groupNames[st.st_gid] == nil { groupNames[st.st_gid] = .some(Posix.groupName(st.st_gid)) }
        return Node(name: name, type: type, mode: UInt32(st.st_mode & 0o7777), uid: st.st_uid, gid: st.st_gid,
             user: userNames[st.st_uid] ?? nil, group: groupNames[st.st_gid] ?? nil,
             mtime: Self.nanoseconds(st.st_mtim), ctime: Self.nanoseconds(st.st_ctim), inode: UInt64(st.st_ino),
             device: UInt64(st.st_dev), links: UInt64(st.st_nlink), size: type == .file ? UInt64(st.st_size) : 0,
             content: nil, subtree: nil, target: nil)
    }
}

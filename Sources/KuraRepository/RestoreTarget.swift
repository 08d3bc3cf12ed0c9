import Foundation
import Glibc
import KuraSystem

/// What a restore does with an entry already in its target where the snapshot has one.
public enum OverwritePolicy: String, Sendable, CaseIterable {
    /// The default: an identical entry is kept (its metadata restored); one that differs stops the
    /// restore before anything is written, named.
    case refuse
    /// Replaces every existing file and symlink.
    case always
    /// Replaces an existing file or symlink only when the snapshot's mtime is newer than its own.
    case ifNewer = "if-newer"
    /// Keeps every existing entry as it is.
    case never
}

/// Writes restored files, directories and links under a directory, and gives them the metadata
/// their nodes recorded: modes, mtimes, and owners when running as root. Used by restores from a
/// repository and from a medium.
///
/// Everything happens relative to the target's own descriptor, one path component at a time, with
/// descriptors opened without following links: a symlink already in the target (`T/tmp -> /`)
/// is never followed, and metadata is set on what was created (by descriptor, or on a symlink
/// itself), never on what a link points to. Entries are named by path components; a component that
/// is not exactly one file name (empty, ".", "..", with "/" or NUL) is refused.
public final class RestoreTarget {
    /// What the restore does with one entry, decided by `plan` before anything is written.
    public enum Decision: Sendable, Equatable {
        /// Nothing is there: create it.
        case create
        /// The same entry is there (an existing directory, an identical file or symlink): set its metadata.
        case metadataOnly
        /// Something else is there: remove it (never a directory), then create.
        case replace
        /// Leave what is there as it is, and for a directory everything below it.
        case keep
    }

    public let root: String
    public let overwrite: OverwritePolicy
    /// Snapshot paths of existing entries the restore replaces, and of those it leaves as they are.
    public private(set) var overwritten: [String] = []
    public private(set) var skipped: [String] = []

    private let rootFD: Int32
    private let asRoot = Posix.effectiveUserID == 0
    private var decisions: [[String]: Decision] = [:]
    /// The directories last walked to, each opened from the one before it (the first from `rootFD`).
    private var chain: [(name: String, fd: Int32)] = []

    /// Opens the target directory, creating it (and its parents) if missing; an existing target
    /// that is not a directory is refused.
    public init(root: String, overwrite: OverwritePolicy = .refuse) throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.overwrite = overwrite
        if let st = Posix.statIfExists(root) {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw RepositoryError(.io, "restore target \(root) exists and is not a directory")
            }
        } else {
            do {
                var path = root.hasPrefix("/") ? "" : "."
                for part in root.split(separator: "/") {
                    path += "/" + String(part)
                    try Posix.mkdir(path, 0o777)
                }
            } catch let error as SystemError {
                throw RepositoryError(.io, "cannot create restore target \(root): \(error.message)")
            }
        }
        rootFD = try Posix.open(root, O_RDONLY | O_DIRECTORY)
    }

    deinit {
        for link in chain { Posix.close(link.fd) }
        Posix.close(rootFD)
    }

    /// Refuses an entry name that is not exactly one path component.
    public static func checkName(_ name: String) throws {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
            throw RepositoryError(.damaged, "the snapshot has an entry named \(name.debugDescription), which is not a file name; restore refuses it")
        }
    }

    /// The path in the target of a snapshot entry, for messages.
    public func display(_ components: [String]) -> String {
        components.isEmpty ? root : (root == "/" ? "" : root) + "/" + components.joined(separator: "/")
    }

    public func decision(_ components: [String]) -> Decision { decisions[components] ?? .create }

    // MARK: Planning, before anything is written

    /// Compares what a restore of `tree` will write with what is already in the target and decides,
    /// by the overwrite policy, what to do with each existing entry (`decision`). Entries that
    /// cannot be restored without following a link or replacing a directory, or (by default) without
    /// overwriting a file that differs, stop the restore here, all named in one error, so a refused
    /// restore leaves the target as it was. `sameContent` says whether an open existing file holds
    /// exactly a file node's content (its size already matches).
    public func plan(tree: BlobID, loadTree: (BlobID) throws -> Tree, filter: IncludeFilter,
                     sameContent: (Node, Int32, String) throws -> Bool) throws {
        var conflicts: [String] = []
        var differing = false

        func record(_ decision: Decision, _ components: [String]) {
            decisions[components] = decision
            if decision == .keep { skipped.append("/" + components.joined(separator: "/")) }
            if decision == .replace { overwritten.append("/" + components.joined(separator: "/")) }
        }

        /// Returns whether anything below `path` (or `path` itself, when `included`) is restored.
        func visit(_ tree: BlobID, _ path: [String], included: Bool, existing: Bool) throws -> Bool {
            var anything = false
            for node in try loadTree(tree).nodes {
                try Self.checkName(node.name)
                let components = path + [node.name]
                let selected = included || filter.matches("/" + components.joined(separator: "/"), name: node.name)
                let st = existing ? try inspect(components) : nil
                let where_ = display(components)
                if node.type == .directory {
                    guard let st else {
                        if selected { anything = true; continue }
                        let inner = try node.subtree.map { try visit($0, components, included: false, existing: false) } ?? false
                        anything = anything || inner
                        continue
                    }
                    if st.st_mode & S_IFMT == S_IFDIR {
                        let inner = try node.subtree.map { try visit($0, components, included: selected, existing: true) } ?? false
                        anything = anything || selected || inner
                        continue
                    }
                    let inner = try node.subtree.map { try visit($0, components, included: false, existing: false) } ?? false
                    guard selected || inner else { continue }
                    anything = true
                    if st.st_mode & S_IFMT == S_IFLNK {
                        conflicts.append("\(where_) is a symlink where the snapshot has a directory (restore never follows links in its target)")
                        continue
                    }
                    switch overwrite {
                    case .always: record(.replace, components)
                    case .never, .ifNewer: record(.keep, components)
                    case .refuse:
                        conflicts.append("\(where_) is not a directory where the snapshot has one")
                        differing = true
                    }
                    continue
                }
                guard selected else { continue }
                anything = true
                guard let st else { continue }
                let kind = node.type == .file ? "file" : "symlink"
                if st.st_mode & S_IFMT == S_IFDIR {
                    if overwrite == .never || overwrite == .ifNewer {
                        record(.keep, components)
                    } else {
                        conflicts.append("\(where_) is a directory where the snapshot has a \(kind) (restore does not replace directories)")
                        differing = differing || overwrite == .refuse
                    }
                    continue
                }
                let existingMtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
                if overwrite == .never || (overwrite == .ifNewer && node.mtime <= existingMtime) {
                    record(.keep, components)
                } else if try identical(node, st, components, sameContent: sameContent) {
                    record(.metadataOnly, components)
                } else if overwrite == .refuse {
                    conflicts.append("\(where_) differs from the snapshot's \(kind)")
                    differing = true
                } else {
                    record(.replace, components)
                }
            }
            return anything
        }

        _ = try visit(tree, [], included: filter.includesEverything, existing: true)
        guard !conflicts.isEmpty else { return }
        var message = "restore refused, nothing was written: "
        message += conflicts.count == 1 ? conflicts[0]
            : "\(conflicts.count) entries are in the way: " + conflicts.prefix(5).joined(separator: "; ")
                + (conflicts.count > 5 ? "; and \(conflicts.count - 5) more" : "")
        if differing { message += "; choose --overwrite always, if-newer or never" }
        throw RepositoryError(.io, message)
    }

    /// What is at `components` now (not following a link), nil if nothing; nil too when a parent is missing.
    private func inspect(_ components: [String]) throws -> stat? {
        guard let parent = try directory(components.dropLast(), create: false) else { return nil }
        return try Posix.statAt(parent, components.last!, path: display(components))
    }

    private func identical(_ node: Node, _ st: stat, _ components: [String],
                           sameContent: (Node, Int32, String) throws -> Bool) throws -> Bool {
        let path = display(components)
        guard let parent = try directory(components.dropLast(), create: false) else { return false }
        switch node.type {
        case .symlink:
            guard st.st_mode & S_IFMT == S_IFLNK else { return false }
            return try Posix.readlinkAt(parent, components.last!, path: path) == node.target ?? ""
        case .file:
            guard st.st_mode & S_IFMT == S_IFREG, UInt64(st.st_size) == node.size else { return false }
            let (fd, code) = Posix.openAt(parent, components.last!, O_RDONLY | O_NOFOLLOW)
            guard fd >= 0 else { throw Posix.error("open", path, errno: code) }
            defer { Posix.close(fd) }
            return try sameContent(node, fd, path)
        case .directory:
            return st.st_mode & S_IFMT == S_IFDIR
        }
    }

    /// Whether the file open at `fd` holds exactly `chunks` (id and length, in order), each chunk
    /// hashed as chunk ids are made, and nothing after them.
    public static func contentMatches(_ fd: Int32, chunks: [(BlobID, Int)], key: MasterKey, path: String) throws -> Bool {
        var buffer: [UInt8] = []
        for (id, length) in chunks {
            if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
            let same = try buffer.withUnsafeMutableBytes { raw -> Bool in
                let part = UnsafeMutableRawBufferPointer(rebasing: raw[..<length])
                guard try Posix.readFully(fd, into: part, path: path) == length else { return false }
                return key.blobID(of: UnsafeRawBufferPointer(part)) == id
            }
            if !same { return false }
        }
        var extra: UInt8 = 0
        return try withUnsafeMutableBytes(of: &extra) { try Posix.read(fd, into: $0, path: path) } == 0
    }

    // MARK: Walking without following links

    /// The directory at `components`, walked to from the target's descriptor one component at a
    /// time with `O_NOFOLLOW | O_DIRECTORY`, creating missing ones (mode 0700 until their metadata
    /// is applied) when `create`; nil when missing and not `create`. The descriptor is borrowed:
    /// valid until the next call.
    private func directory(_ components: ArraySlice<String>, create: Bool) throws -> Int32? {
        let wanted = Array(components)
        var common = 0
        while common < min(chain.count, wanted.count) && chain[common].name == wanted[common] { common += 1 }
        while chain.count > common { Posix.close(chain.removeLast().fd) }
        for i in common..<wanted.count {
            let parent = i == 0 ? rootFD : chain[i - 1].fd
            guard let fd = try openDirectory(Array(wanted[...i]), in: parent, create: create) else { return nil }
            chain.append((wanted[i], fd))
        }
        return wanted.isEmpty ? rootFD : chain[wanted.count - 1].fd
    }

    private func openDirectory(_ components: [String], in parent: Int32, create: Bool) throws -> Int32? {
        let name = components.last!
        try Self.checkName(name)
        let path = display(components)
        for _ in 0..<3 {
            let (fd, code) = Posix.openAt(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            if fd >= 0 { return fd }
            switch code {
            case ENOENT:
                guard create else { return nil }
                let made = Posix.mkdirAt(parent, name, 0o700)
                if made != 0 && made != EEXIST { throw Posix.error("mkdir", path, errno: made) }
            case ENOTDIR, ELOOP:
                guard let st = try Posix.statAt(parent, name, path: path) else { continue }
                if st.st_mode & S_IFMT == S_IFLNK {
                    throw RepositoryError(.io, "\(path) is a symlink where the snapshot has a directory; restore never follows links in its target")
                }
                guard create, decisions[components] == .replace, st.st_mode & S_IFMT != S_IFDIR else {
                    throw RepositoryError(.io, "\(path) is not a directory where the snapshot has one")
                }
                try Posix.unlinkAt(parent, name, path: path)
            default:
                throw Posix.error("open", path, errno: code)
            }
        }
        throw RepositoryError(.io, "\(path) keeps changing while it is restored")
    }

    /// The directory holding `components` (created if missing), the entry's name, and its path for messages.
    private func parent(of components: [String]) throws -> (fd: Int32, name: String, path: String) {
        guard let name = components.last else { throw RepositoryError(.invalidArgument, "the target itself is not an entry") }
        try Self.checkName(name)
        return (try directory(components.dropLast(), create: true)!, name, display(components))
    }

    // MARK: Writing

    /// Creates the directory (and its parents) if missing.
    public func makeDirectory(_ components: [String]) throws {
        _ = try directory(components[...], create: true)
    }

    /// Whether a directory is at `components` (reached without following links).
    public func directoryExists(_ components: [String]) -> Bool {
        ((try? directory(components[...], create: false)) ?? nil) != nil
    }

    /// Creates a file to be filled with `write(_:at:to:path:)`, replacing what is there if the plan
    /// said so; returns its descriptor.
    public func createFile(_ components: [String]) throws -> Int32 {
        let (parent, name, path) = try parent(of: components)
        if decision(components) == .replace { try Posix.unlinkAt(parent, name, path: path) }
        let (fd, code) = Posix.openAt(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if code == EEXIST { throw RepositoryError(.io, "\(path) appeared in the target during the restore; it was left as it is") }
            throw Posix.error("open", path, errno: code)
        }
        return fd
    }

    /// Opens a file made by `createFile` again for writing.
    public func openExisting(_ components: [String]) throws -> Int32 {
        let (parent, name, path) = try parent(of: components)
        let (fd, code) = Posix.openAt(parent, name, O_WRONLY | O_NOFOLLOW)
        guard fd >= 0 else { throw Posix.error("open", path, errno: code) }
        return fd
    }

    /// `pwrite(2)` of a whole chunk at its offset.
    public func write(_ bytes: [UInt8], at offset: Int, to fd: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Posix.error("pwrite", path)
                }
                done += n
            }
        }
    }

    public func close(_ fd: Int32) { Posix.close(fd) }

    public func symlink(_ node: Node, at components: [String]) throws {
        let (parent, name, path) = try parent(of: components)
        if decision(components) == .replace { try Posix.unlinkAt(parent, name, path: path) }
        try Posix.symlinkAt(node.target ?? "", parent, name, path: path)
        try applySymlinkMetadata(node, parent, name, path)
    }

    /// Links `components` to the file already restored at `existing` (both inside the target).
    public func hardLink(_ existing: [String], at components: [String]) throws {
        guard let existingName = existing.last else { throw RepositoryError(.invalidArgument, "the target itself is not a file") }
        try Self.checkName(existingName)
        guard let borrowed = try directory(existing.dropLast(), create: false) else {
            throw Posix.error("link", display(existing), errno: ENOENT)
        }
        let source = try Posix.duplicate(borrowed, path: display(existing.dropLast()))
        defer { Posix.close(source) }
        let (parent, name, path) = try parent(of: components)
        if decision(components) == .replace { try Posix.unlinkAt(parent, name, path: path) }
        try Posix.linkAt(source, existingName, parent, name, path: path)
    }

    /// Removes a file the restore made (an incomplete one).
    public func remove(_ components: [String]) {
        guard let (parent, name, path) = try? parent(of: components) else { return }
        try? Posix.unlinkAt(parent, name, path: path)
    }

    /// Owner (as root), mode and mtime of a file open at `fd`, in that order so chown cannot clear
    /// setuid bits afterwards.
    public func applyMetadata(_ node: Node, fd: Int32, at components: [String]) throws {
        let path = display(components)
        if asRoot { _ = Posix.fchown(fd, uid: node.uid, gid: node.gid) }
        try Posix.fchmod(fd, mode_t(node.mode), path: path)
        try Posix.setTimes(fd, accessNanoseconds: node.mtime, modifyNanoseconds: node.mtime, path: path)
    }

    /// Metadata of the entry at `components`, reached without following links: a directory or file
    /// through a descriptor opened with `O_NOFOLLOW`, a symlink on the link itself.
    public func applyMetadata(_ node: Node, at components: [String]) throws {
        switch node.type {
        case .directory:
            try applyMetadata(node, fd: try directory(components[...], create: true)!, at: components)
        case .symlink:
            let (parent, name, path) = try parent(of: components)
            try applySymlinkMetadata(node, parent, name, path)
        case .file:
            let (parent, name, path) = try parent(of: components)
            let (fd, code) = Posix.openAt(parent, name, O_RDONLY | O_NOFOLLOW)
            guard fd >= 0 else { throw Posix.error("open", path, errno: code) }
            defer { Posix.close(fd) }
            try applyMetadata(node, fd: fd, at: components)
        }
    }

    private func applySymlinkMetadata(_ node: Node, _ parent: Int32, _ name: String, _ path: String) throws {
        if asRoot { _ = Posix.fchownAt(parent, name, uid: node.uid, gid: node.gid) }
        try Posix.setTimes(parent, name, accessNanoseconds: node.mtime, modifyNanoseconds: node.mtime, path: path)
    }
}

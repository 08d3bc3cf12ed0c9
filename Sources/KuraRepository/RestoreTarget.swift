import Foundation
import Glibc

/// Writes restored files, directories and links under a directory, and gives them the metadata
/// their nodes recorded: modes, mtimes, and owners when running as root. Used by restores from a
/// repository and from a medium.
public final class RestoreTarget {
    public let root: String
    private let asRoot = Posix.effectiveUserID == 0

    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The path below `root` of a snapshot path like "/srv/data/file".
    public func path(_ snapshotPath: String) -> String { root + snapshotPath }

    /// Creates a directory (and its parents); returns whether it was new.
    @discardableResult
    public func makeDirectory(_ path: String) throws -> Bool {
        let existed = Posix.statIfExists(path) != nil
        if !existed { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        return !existed
    }

    /// Creates (replacing) a file to be filled with `write(_:at:to:)`; returns its descriptor.
    public func createFile(_ path: String) throws -> Int32 {
        try? Posix.unlink(path)
        return try Posix.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
    }

    /// Creates the directories above `path`, if missing.
    public func makeDirectory(parentOf path: String) {
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !parent.isEmpty && Posix.statIfExists(parent) == nil {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
    }

    public func exists(_ path: String) -> Bool { Posix.statIfExists(path) != nil }

    /// Opens a file made by `createFile` again for writing.
    public func openExisting(_ path: String) throws -> Int32 {
        try Posix.open(path, O_WRONLY | O_NOFOLLOW)
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

    public func symlink(_ node: Node, at path: String) throws {
        try? Posix.unlink(path)
        try Posix.symlink(node.target ?? "", at: path)
        try applyMetadata(node, at: path)
    }

    public func hardLink(_ existing: String, at path: String) throws {
        try? Posix.unlink(path)
        try Posix.link(existing, path)
    }

    public func remove(_ path: String) { try? Posix.unlink(path) }

    /// Owner (as root), mode (not for symlinks) and mtime, in that order so chown cannot clear setuid bits afterwards.
    public func applyMetadata(_ node: Node, at path: String) throws {
        if asRoot { _ = Posix.lchown(path, uid: node.uid, gid: node.gid) }
        if node.type != .symlink { try Posix.chmod(path, mode_t(node.mode)) }
        try Posix.setTimes(path, accessNanoseconds: node.mtime, modifyNanoseconds: node.mtime)
    }
}

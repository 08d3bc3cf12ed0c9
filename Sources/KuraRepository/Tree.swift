import Foundation

/// One entry of a directory listing as a snapshot records it.
public struct Node: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case file, directory = "dir", symlink
    }

    public var name: String
    public var type: Kind
    /// Permission bits including setuid, setgid and sticky (`st_mode & 07777`).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var user: String?
    public var group: String?
    /// Modification and status-change times, nanoseconds since the epoch.
    public var mtime: Int64
    public var ctime: Int64
    public var inode: UInt64
    public var device: UInt64
    public var links: UInt64
    public var size: UInt64
    /// Data blobs in order (files only).
    public var content: [BlobID]?
    /// The tree blob of a directory's entries.
    public var subtree: BlobID?
    /// A symlink's target.
    public var target: String?
}

/// A tree blob: one directory's entries sorted by name, encoded as JSON with sorted keys, so an
/// unchanged directory encodes to the same bytes and deduplicates.
public struct Tree: Codable, Sendable {
    public var nodes: [Node]

    public init(nodes: [Node]) { self.nodes = nodes }
}

extension Tree {
    /// Decodes a tree blob and checks every entry, since a host holding only a write-only key can write any
    /// tree it likes: a name must be one non-empty path component (not `.` or `..`, no `/` or NUL), unique in
    /// its directory; a directory has no content, a file no subtree, a symlink a target. Every reader of trees
    /// (restore, dump, ls, check, media) goes through here, so nothing downstream sees an unchecked name.
    public static func decode(_ bytes: [UInt8], id: BlobID) throws -> Tree {
        let tree: Tree
        do {
            tree = try JSONDecoder().decode(Tree.self, from: Data(bytes))
        } catch {
            throw RepositoryError(.damaged, "tree \(id.short) does not decode")
        }
        var names = Set<String>()
        for node in tree.nodes {
            if let problem = Node.problem(withName: node.name) {
                throw RepositoryError(.damaged, "tree \(id.short) is forged or damaged: entry \(Node.quoted(node.name)) \(problem)")
            }
            guard names.insert(node.name).inserted else {
                throw RepositoryError(.damaged, "tree \(id.short) is forged or damaged: entry \(Node.quoted(node.name)) appears twice")
            }
            if let problem = node.shapeProblem {
                throw RepositoryError(.damaged, "tree \(id.short) is forged or damaged: entry \(Node.quoted(node.name)) \(problem)")
            }
        }
        return tree
    }
}

extension Node {
    /// Why `name` cannot name a directory entry, or nil when it can.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "has an empty name" }
        if name == "." || name == ".." { return "is not a name but a relative path" }
        if name.utf8.contains(UInt8(ascii: "/")) { return "is a path, not one name (it contains '/')" }
        if name.utf8.contains(0) { return "contains a NUL byte" }
        return nil
    }

    /// Why this node's fields contradict its type, or nil.
    var shapeProblem: String? {
        switch type {
        case .directory where content?.isEmpty == false: return "is a directory with file content"
        case .file where subtree != nil: return "is a file with a subtree"
        case .symlink where target == nil: return "is a symlink without a target"
        case .symlink where content?.isEmpty == false || subtree != nil: return "is a symlink with content"
        default: return nil
        }
    }

    /// A name as an error message shows it: quoted, with control characters escaped, so a forged name cannot
    /// rewrite the user's terminal.
    static func quoted(_ name: String) -> String {
        var out = "'"
        for scalar in name.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7f { out += String(format: "\\x%02x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
        return out + (name.unicodeScalars.count > 200 ? "…'" : "'")
    }
}

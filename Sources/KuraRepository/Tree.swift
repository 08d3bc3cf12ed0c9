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

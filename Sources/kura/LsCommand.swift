import ArgumentParser
import Foundation
import KuraRepository

extension Kura {
    struct Ls: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the files in a snapshot.",
            discussion: "SNAPSHOT is 'latest' or a unique prefix of a snapshot id.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var filters: SnapshotFilterOptions
        @OptionGroup var locking: ReadLockOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The snapshot: 'latest' or an id prefix.")
        var snapshot: String

        @Argument(help: ArgumentHelp("Only list this path inside the snapshot and what is below it.", valueName: "path"))
        var path: String?

        @Flag(name: [.customShort("l"), .long], help: "Long listing: mode, owner, size and mtime.")
        var long = false

        func run() throws {
            let repo = try repository.open()
            let lock = try locking.lock(repo, operation: "ls")
            defer { lock?.release() }
            let entry = try filters.resolve(snapshot, in: repo)
            let loader = try BlobLoader(repository: repo, index: try repo.loadIndex())
            var listing: [NodeListing] = []
            let prefix = path.map { "/" + $0.split(separator: "/").joined(separator: "/") }
            let emit: (String, Node) -> Void = { path, node in
                if let prefix, path != prefix && !path.hasPrefix(prefix + "/") { return }
                if output.json {
                    listing.append(NodeListing(path: path, node: node))
                } else if !output.quiet {
                    print(long ? Self.longLine(path, node) : path)
                }
            }
            try loader.walk(entry.snapshot.tree, visit: emit)
            if output.json { try Terminal.printJSON(listing) }
        }

        static func longLine(_ path: String, _ node: Node) -> String {
            let type: Character = node.type == .directory ? "d" : node.type == .symlink ? "l" : "-"
            var mode = String(type)
            let bits: [(UInt32, Character)] = [(0o400, "r"), (0o200, "w"), (0o100, "x"), (0o040, "r"), (0o020, "w"), (0o010, "x"),
                                               (0o004, "r"), (0o002, "w"), (0o001, "x")]
            for (bit, c) in bits { mode.append(node.mode & bit != 0 ? c : "-") }
            let mtime = Snapshot.formatTime(Date(timeIntervalSince1970: Double(node.mtime) / 1e9))
            let target = node.target.map { " -> \($0)" } ?? ""
            return "\(mode) \(node.user ?? String(node.uid)) \(node.group ?? String(node.gid)) \(String(node.size).leftPad(12)) \(mtime) \(path)\(target)"
        }
    }

    /// A node as `kura ls --json` prints it: the tree's fields, with `mtime` and `ctime` as times (kura-json(5))
    /// rather than the tree format's nanoseconds.
    struct NodeListing: Encodable {
        var path: String
        var node: Node

        enum CodingKeys: String, CodingKey {
            case path, name, type, mode, uid, gid, user, group, mtime, ctime, inode, device, links, size, content, subtree, target
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(node.name, forKey: .name)
            try c.encode(node.type, forKey: .type)
            try c.encode(node.mode, forKey: .mode)
            try c.encode(node.uid, forKey: .uid)
            try c.encode(node.gid, forKey: .gid)
            try c.encode(node.user, forKey: .user)
            try c.encode(node.group, forKey: .group)
            try c.encode(Date(timeIntervalSince1970: Double(node.mtime) / 1e9), forKey: .mtime)
            try c.encode(Date(timeIntervalSince1970: Double(node.ctime) / 1e9), forKey: .ctime)
            try c.encode(node.inode, forKey: .inode)
            try c.encode(node.device, forKey: .device)
            try c.encode(node.links, forKey: .links)
            try c.encode(node.size, forKey: .size)
            try c.encode(node.content, forKey: .content)
            try c.encode(node.subtree, forKey: .subtree)
            try c.encode(node.target, forKey: .target)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

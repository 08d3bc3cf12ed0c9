import KuraRepository

/// What an archive entry is in a set's layout: a regular file at exactly one of the names a set
/// has. Anything else (`../` or absolute paths, links, devices, FIFOs, directories, other names) is
/// not part of the set: readers never act on it, and `media verify` names it.
enum SetEntry: Equatable {
    case label
    case config
    case snapshot(BlobID)
    case index(BlobID)
    case trees(BlobID)
    case pack(BlobID)

    init?(_ entry: ArchiveReader.Entry, set: String) {
        guard entry.kind == .regular else { return nil }
        let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0] == set else { return nil }
        switch (parts.count, parts[1]) {
        case (2, "label.json"): self = .label
        case (2, "config"): self = .config
        case (3, "snapshots"): guard let id = Self.id(parts[2]) else { return nil }; self = .snapshot(id)
        case (3, "index"): guard let id = Self.id(parts[2]) else { return nil }; self = .index(id)
        case (3, "trees"): guard let id = Self.id(parts[2]) else { return nil }; self = .trees(id)
        case (4, "data"):
            guard let id = Self.id(parts[3]), parts[2] == String(parts[3].prefix(2)) else { return nil }
            self = .pack(id)
        default: return nil
        }
    }

    /// 64 lower-case hex digits, as kura names them.
    private static func id(_ name: String) -> BlobID? {
        guard name.count == 64, name.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return BlobID(hex: name)
    }

    /// How `media verify` names an entry that is not part of a set.
    static func foreign(_ entry: ArchiveReader.Entry) -> String {
        "entry \(entry.path) (\(entry.kind.description)) is not part of the set"
    }
}

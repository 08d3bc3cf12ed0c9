/// Chooses snapshots by host, tags and paths, as restic's `--host`, `--tag` and `--path` do: a snapshot
/// passes when its host is one of `hosts`, when it carries every tag of at least one of `tagSets`, and
/// when each of `paths` is one of its paths. An empty condition lets everything through.
public struct SnapshotFilter: Sendable, Equatable {
    public var hosts: [String]
    /// `--tag a,b --tag c`: (a and b) or c.
    public var tagSets: [[String]]
    public var paths: [String]

    public init(hosts: [String] = [], tagSets: [[String]] = [], paths: [String] = []) {
        self.hosts = hosts
        self.tagSets = tagSets
        self.paths = paths
    }

    public var isEmpty: Bool { hosts.isEmpty && tagSets.isEmpty && paths.isEmpty }

    public func matches(_ snapshot: Snapshot) -> Bool {
        if !hosts.isEmpty && !hosts.contains(snapshot.hostname) { return false }
        if !tagSets.isEmpty && !tagSets.contains(where: { set in set.allSatisfy(snapshot.tags.contains) }) { return false }
        return paths.allSatisfy(snapshot.paths.contains)
    }
}

import ArgumentParser
import Foundation
import KuraRepository

/// `--host`, `--tag` and `--path` as restic has them: which snapshots a list shows, `forget` considers, and
/// which one `latest` names (the newest that passes).
struct SnapshotFilterOptions: ParsableArguments {
    @Option(name: .customLong("host"), help: ArgumentHelp("Only snapshots made on this host (repeatable: any of them).", valueName: "host"))
    var hosts: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only snapshots with all of these tags; a,b needs both (repeatable: either).",
                                                      valueName: "tags"))
    var tagLists: [String] = []

    @Option(name: .customLong("path"), help: ArgumentHelp("Only snapshots that backed up this path (repeatable: all of them).",
                                                       valueName: "path"))
    var paths: [String] = []

    var filter: SnapshotFilter {
        SnapshotFilter(hosts: hosts,
                       tagSets: tagLists.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } },
                       paths: paths)
    }

    var isEmpty: Bool { filter.isEmpty }

    /// What the filters are, for messages: `--host db1 --tag nightly`.
    var description: String {
        (hosts.map { "--host \($0)" } + tagLists.map { "--tag \($0)" } + paths.map { "--path \($0)" }).joined(separator: " ")
    }

    /// The snapshots that pass, oldest first.
    func snapshots(in repo: Repository) throws -> [SnapshotEntry] {
        let filter = filter
        return try repo.snapshots().filter { filter.matches($0.snapshot) }
    }

    /// `latest` (the newest snapshot that passes the filters and is not dated in the future) or an id prefix
    /// (which names one snapshot whatever the filters say, as in restic).
    func resolve(_ name: String, in repo: Repository) throws -> SnapshotEntry {
        guard name == "latest", !isEmpty else { return try repo.resolveSnapshot(name) }
        let now = Date()
        let passing = try snapshots(in: repo)
        guard let newest = passing.last(where: { !$0.isFutureDated(now: now) }) else {
            throw RepositoryError(.snapshotNotFound, passing.isEmpty ? "no snapshot passes \(description)"
                : "no snapshot passes \(description) but \(passing.count) dated in the future, which are never 'latest'; name one by id")
        }
        return newest
    }
}

import Foundation
import Glibc
import KuraSystem

/// Backs up byte streams (standard input, or the output of commands such as `pg_dump`) as
/// files of one snapshot. Memory stays bounded by the chunker's buffer however long a stream is.
public final class StreamArchiver {
    public enum Source: Sendable {
        case standardInput(name: String)
        /// Run with `/bin/sh -c`; its stderr passes through to ours.
        case command(name: String, commandLine: String)

        public var name: String {
            switch self {
            case .standardInput(let name), .command(let name, _): return name
            }
        }
    }

    private let repository: Repository
    private let saver: BlobSaver
    private let tags: [String]
    private let hostname: String?
    public var onProgress: ((Int64) -> Void)?
    /// Refuse to make a snapshot when a stream is empty.
    public var requireOutput = false
    /// As `Archiver.Options.dryRun`: the streams are read and counted, nothing is written; the id returned is `BlobID.zero`.
    public var dryRun = false {
        didSet { saver.dryRun = dryRun }
    }
    /// Streams that were empty (each a warning, or with `requireOutput` an error).
    public private(set) var emptySources: [String] = []

    public init(repository: Repository, index: MasterIndex, tags: [String], hostname: String?) throws {
        self.repository = repository
        saver = try BlobSaver(repository: repository, index: index)
        self.tags = tags
        self.hostname = hostname
    }

    /// Reads every source in turn and writes one snapshot holding each as a file named after it.
    /// A command that fails makes no snapshot: the error names it and its exit status.
    public func backup(_ sources: [Source]) throws -> (id: BlobID, snapshot: Snapshot) {
        let start = Posix.monotonicSeconds
        var nodes: [Node] = []
        var total: Int64 = 0
        do {
            for source in sources {
                let (ids, bytes) = try read(source, before: total)
                if bytes == 0 {
                    // pg_dump that printed nothing, or an empty pipe: almost always a broken job, not an empty database.
                    if requireOutput {
                        throw RepositoryError(.sourceFailed, "\(source.name) was empty (0 bytes); no snapshot was made (--require-output)")
                    }
                    emptySources.append(source.name)
                }
                total += bytes
                let now = Int64(Date().timeIntervalSince1970 * 1e9)
                let uid = Posix.effectiveUserID, gid = getegid()
                nodes.append(Node(name: source.name, type: .file, mode: 0o600, uid: uid, gid: gid,
                                  user: Posix.userName(uid), group: Posix.groupName(gid), mtime: now, ctime: now,
                                  inode: 0, device: 0, links: 1, size: UInt64(bytes), content: ids, subtree: nil, target: nil))
            }
            let tree = try saver.saveTree(Tree(nodes: nodes.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }))
            try saver.flush()
            let stats = saver.statistics
            let summary = Snapshot.Summary(files: nodes.count, directories: 0, bytesRead: total, bytesNew: stats.bytesNew,
                                           bytesStored: stats.bytesStored, unreadable: 0, duration: Posix.monotonicSeconds - start)
            let snapshot = Snapshot(time: Date(), hostname: hostname ?? Posix.hostname,
                                    username: Posix.userName(Posix.effectiveUserID) ?? "uid \(Posix.effectiveUserID)",
                                    paths: sources.map(\.name), tags: tags, tree: tree, program: "kura", summary: summary)
            return (dryRun ? .zero : try repository.saveSnapshot(snapshot), snapshot)
        } catch {
            // What was stored stays indexed for the next attempt to deduplicate against; no snapshot refers to it.
            try? saver.flush()
            throw error
        }
    }

    private func read(_ source: Source, before: Int64) throws -> ([BlobID], Int64) {
        let progress: (Int) -> Void = { [weak self] n in self?.onProgress?(before + Int64(n)) }
        var done: Int64 = 0
        let counting: (Int) -> Void = { n in done += Int64(n); progress(Int(done)) }
        switch source {
        case .standardInput(let name):
            do {
                return try DirectFileReader.reading(Posix.standardInput, path: "standard input") { read in
                    try saver.saveStream(read: read, progress: counting)
                }
            } catch let error as SystemError where error.code != .shortFile {
                throw RepositoryError(.sourceFailed, "reading \(name) from standard input failed: \(error.message)")
            }
        case .command(let name, let commandLine):
            let child: ChildProcess
            do {
                child = try ChildProcess(shell: commandLine)
            } catch {
                throw RepositoryError(.sourceFailed, "cannot start the command for \(name): \(error)")
            }
            let result: ([BlobID], Int64)
            do {
                result = try saver.saveStream(read: { try Posix.read(child.output, into: $0, path: "output of \(name)") }, progress: counting)
            } catch {
                child.terminate()
                _ = child.wait()
                throw error
            }
            switch child.wait() {
            case .exited(0):
                break
            case .exited(let status):
                throw RepositoryError(.sourceFailed, "the command for \(name) exited with status \(status); no snapshot was made: \(commandLine)")
            case .signaled(let signal):
                throw RepositoryError(.sourceFailed, "the command for \(name) was killed by signal \(signal); no snapshot was made: \(commandLine)")
            }
            return result
        }
    }
}

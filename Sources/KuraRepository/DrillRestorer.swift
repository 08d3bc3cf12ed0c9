import Foundation
import Glibc
import KuraSystem

/// The restoring half of a restore drill: restores a snapshot into a directory and reads every restored file
/// back against the snapshot, or pipes one file of a stream snapshot into a command. Every blob is verified
/// against its id as it is loaded; the directory check also re-hashes each restored chunk (keyed BLAKE2b-256,
/// as the chunk ids are) and compares sizes, directories and symlink targets.
public final class DrillRestorer {
    public struct Outcome: Sendable, Codable {
        /// Bytes of file content restored and checked.
        public var bytes: Int64 = 0
        public var files = 0
        public var directories = 0
        public var symlinks = 0
        /// Seconds to restore and check.
        public var seconds: Double = 0

        public init() {}
    }

    private let repository: Repository
    private let index: MasterIndex
    private let loader: BlobLoader
    public var onProgress: ((Int64) -> Void)?

    public init(repository: Repository, index: MasterIndex) throws {
        self.repository = repository
        self.index = index
        loader = try BlobLoader(repository: repository, index: index)
    }

    /// Restores the whole snapshot under `directory`, then checks what was written against it.
    public func restore(_ snapshot: Snapshot, into directory: String) throws -> Outcome {
        let start = Posix.monotonicSeconds
        let restorer = Restorer(loader: loader, includes: [])
        restorer.onProgress = onProgress
        try restorer.restore(snapshot, to: directory)
        var outcome = Outcome()
        try check(tree: snapshot.tree, at: directory, outcome: &outcome)
        outcome.seconds = Posix.monotonicSeconds - start
        return outcome
    }

    /// The one file at the root of a stream snapshot (or the one named `name`).
    public func streamFile(of snapshot: Snapshot, named name: String?) throws -> Node {
        let files = try loader.loadTree(snapshot.tree).nodes.filter { $0.type == .file }
        if let name {
            guard let node = files.first(where: { $0.name == name }) else {
                throw RepositoryError(.pathNotFound, "the snapshot has no file \(name) at its root (it has: "
                    + files.map(\.name).joined(separator: ", ") + ")")
            }
            return node
        }
        guard files.count == 1 else {
            throw RepositoryError(.invalidArgument, files.isEmpty
                ? "the snapshot has no file at its root to pipe into a command; back it up with --stdin or --from-command"
                : "the snapshot holds \(files.count) files (\(files.map(\.name).joined(separator: ", "))); say which with --file")
        }
        return files[0]
    }

    /// Streams `file` into the standard input of `command` (`sh -c`), verifying every chunk on the way, and waits
    /// for it; a command that exits non-zero or stops reading fails the restore.
    public func pipe(_ file: Node, into command: String, environment: [String: String] = [:]) throws -> Outcome {
        let start = Posix.monotonicSeconds
        Posix.ignoreBrokenPipes()
        let process = try ChildProcess(shell: command, feedInput: true, environment: environment)
        var outcome = Outcome()
        do {
            try loader.stream(file.content ?? []) { chunk in
                try process.write(chunk)
                outcome.bytes += Int64(chunk.count)
                onProgress?(outcome.bytes)
            }
        } catch {
            process.closeInput()
            let status = process.wait()
            if case .exited(let code) = status, code != 0 {
                throw RepositoryError(.sourceFailed, "restore command '\(command)' exited with status \(code)")
            }
            throw error
        }
        process.closeInput()
        switch process.wait() {
        case .exited(0): break
        case .exited(let code): throw RepositoryError(.sourceFailed, "restore command '\(command)' exited with status \(code)")
        case .signaled(let signal): throw RepositoryError(.sourceFailed, "restore command '\(command)' was killed by signal \(signal)")
        }
        guard outcome.bytes == Int64(file.size) else {
            throw RepositoryError(.damaged, "\(file.name): \(outcome.bytes) bytes restored, the snapshot says \(file.size)")
        }
        outcome.files = 1
        outcome.seconds = Posix.monotonicSeconds - start
        return outcome
    }

    /// Runs a verify command (`sh -c`, in `directory` if given) and returns how it ended and what it printed.
    public static func verify(_ command: String, directory: String?, environment: [String: String]) throws
        -> (status: ChildProcess.Termination, output: String) {
        let process = try ChildProcess(shell: command, feedInput: false, directory: directory, environment: environment)
        let output = try process.readOutput()
        return (process.wait(), String(decoding: output, as: UTF8.self))
    }

    // MARK: Checking a restored directory

    private func check(tree: BlobID, at directory: String, outcome: inout Outcome) throws {
        for node in try loader.loadTree(tree).nodes {
            let path = directory + "/" + node.name
            guard let st = try? Posix.lstat(path) else { throw RepositoryError(.damaged, "\(path) was not restored") }
            switch node.type {
            case .directory:
                guard st.st_mode & S_IFMT == S_IFDIR else { throw RepositoryError(.damaged, "\(path) is not a directory") }
                outcome.directories += 1
                if let subtree = node.subtree { try check(tree: subtree, at: path, outcome: &outcome) }
            case .symlink:
                guard st.st_mode & S_IFMT == S_IFLNK, try Posix.readlink(path) == node.target ?? "" else {
                    throw RepositoryError(.damaged, "\(path) is not a symlink to \(node.target ?? "")")
                }
                outcome.symlinks += 1
            case .file:
                guard st.st_mode & S_IFMT == S_IFREG, UInt64(st.st_size) == node.size else {
                    throw RepositoryError(.damaged, "\(path): \(st.st_size) bytes restored, the snapshot says \(node.size)")
                }
                try checkContent(of: node, at: path)
                outcome.bytes += Int64(node.size)
                outcome.files += 1
            }
        }
    }

    /// Reads the file back chunk by chunk and hashes each chunk as the snapshot's chunk ids were made.
    private func checkContent(of node: Node, at path: String) throws {
        let fd = try Posix.open(path, O_RDONLY | O_NOFOLLOW)
        defer { Posix.close(fd) }
        var buffer: [UInt8] = []
        for id in node.content ?? [] {
            guard let (_, entry) = index.lookup(id) else { throw RepositoryError(.damaged, "blob \(id.short) is not in the index") }
            let length = Int(entry.rawLength)
            if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
            let matches = try buffer.withUnsafeMutableBytes { raw -> Bool in
                let part = UnsafeMutableRawBufferPointer(rebasing: raw[..<length])
                guard try Posix.readFully(fd, into: part, path: path) == length else { return false }
                return repository.key.blobID(of: UnsafeRawBufferPointer(part)) == id
            }
            guard matches else { throw RepositoryError(.damaged, "\(path): restored content differs from the snapshot at chunk \(id.short)") }
        }
        var extra: UInt8 = 0
        guard try withUnsafeMutableBytes(of: &extra, { try Posix.read(fd, into: $0, path: path) }) == 0 else {
            throw RepositoryError(.damaged, "\(path) is longer than the snapshot says")
        }
    }
}

import KuraSystem

/// A repository in a local directory, laid out as kura has always laid it out: `config`, `keys/ID`,
/// `data/XX/ID` (XX: the first two hex digits of the pack id), `index/ID`, `snapshots/ID`, `locks/ID`,
/// `holds/ID`. Every object is written to a `.tmp-` file in its directory, fsync'ed, renamed to its name
/// and its directory fsync'ed, so it appears whole or not at all, and durably; `list` leaves `.tmp-`
/// files out (a crash can leave one behind; prune's temporary files are its own business).
public final class LocalBackend: Backend {
    /// The repository directory, without a trailing slash.
    public let root: String
    /// The directory as the user named it.
    public let location: String

    public init(root: String) {
        location = root
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public func describe(_ handle: ObjectHandle) -> String { path(handle) }

    /// The directory of a kind: `ROOT/data`, `ROOT/keys`, …
    public func directory(_ kind: ObjectKind) -> String { kind == .config ? root : root + "/" + kind.rawValue }

    /// Where an object's file is.
    public func path(_ handle: ObjectHandle) -> String {
        switch handle.kind {
        case .config: return root + "/config"
        case .data: return packDirectory(handle.name) + "/" + handle.name
        default: return directory(handle.kind) + "/" + handle.name
        }
    }

    private func packDirectory(_ name: String) -> String { directory(.data) + "/" + String(name.prefix(2)) }

    /// The directory an object's file goes in.
    private func parent(_ handle: ObjectHandle) -> String {
        handle.kind == .data ? packDirectory(handle.name) : directory(handle.kind)
    }

    /// The root (and its parents), and the directories of every kind but `holds`, which the first hold makes.
    public func create() throws(StorageError) {
        try storage {
            var path = root.hasPrefix("/") ? "" : "."
            for part in root.split(separator: "/") {
                path += "/" + String(part)
                try Posix.mkdir(path, 0o755)
            }
            for kind in [ObjectKind.keys, .data, .index, .snapshots, .locks] { try Posix.mkdir(directory(kind)) }
        }
    }

    /// Config is 0644 (it holds no secret and tools may read it); every other object 0600.
    public func save(_ handle: ObjectHandle, _ bytes: [UInt8]) throws(StorageError) {
        try storage {
            try makeParent(handle)
            try Posix.writeFileAtomically(path(handle), bytes, mode: handle.kind == .config ? 0o644 : 0o600)
        }
    }

    public func beginUpload(_ handle: ObjectHandle) throws(StorageError) -> any ObjectUpload {
        try storage { try LocalUpload(backend: self, handle: handle) }
    }

    public func load(_ handle: ObjectHandle, range: Range<Int64>?) throws(StorageError) -> [UInt8] {
        let path = path(handle)
        return try storage(handle) {
            guard let range else { return try Posix.readFile(path) }
            let fd = try Posix.open(path, Posix.openReadOnly)
            defer { Posix.close(fd) }
            var bytes = [UInt8](repeating: 0, count: range.count)
            try bytes.withUnsafeMutableBytes { try Posix.preadFully(fd, into: $0, offset: Int(range.lowerBound), path: path) }
            return bytes
        }
    }

    public func stat(_ handle: ObjectHandle) throws(StorageError) -> ObjectInfo? {
        guard let size = Posix.fileSize(path(handle)) else { return nil }
        return ObjectInfo(name: handle.name, size: size)
    }

    public func list(_ kind: ObjectKind) throws(StorageError) -> [ObjectInfo] {
        try storage {
            switch kind {
            case .config:
                return Posix.fileSize(path(.config)).map { [ObjectInfo(name: "config", size: $0)] } ?? []
            case .data:
                var found: [ObjectInfo] = []
                for sub in try Posix.listDirectory(directory(.data)) where sub.utf8.count == 2 {
                    found += try files(in: directory(.data) + "/" + sub)
                }
                return found
            case .holds:
                // Made by the first hold: a repository without holds has no such directory.
                guard Posix.fileSize(directory(.holds)) != nil else { return [] }
                return try files(in: directory(.holds))
            default:
                return try files(in: directory(kind))
            }
        }
    }

    /// The objects in one directory: its entries but `.tmp-` files and subdirectories.
    private func files(in directory: String) throws -> [ObjectInfo] {
        try Posix.listDirectory(directory).compactMap { name in
            guard !name.contains(".tmp-"), let st = Posix.statIfExists(directory + "/" + name), Posix.isRegularFile(st) else { return nil }
            return ObjectInfo(name: name, size: Int64(Posix.size(of: st)))
        }
    }

    public func remove(_ handle: ObjectHandle) throws(StorageError) {
        try storage {
            try Posix.unlink(path(handle))
            try Posix.fsyncDirectory(parent(handle))
        }
    }

    /// A read-only mount, or a directory this user may not write (checked on `locks/`, which every
    /// command that writes anything writes first).
    public var isReadOnly: Bool { Posix.isReadOnly(directory(.locks)) }

    /// Makes `data/XX` (and `holds/`) on first use, durably: a pack renamed into a directory whose own
    /// entry was never synced could vanish with it after a crash.
    /// (`locks/` too, should an old or hand-made repository lack it.)
    fileprivate func makeParent(_ handle: ObjectHandle) throws {
        guard handle.kind == .data || handle.kind == .holds || handle.kind == .locks else { return }
        let directory = parent(handle)
        guard Posix.fileSize(directory) == nil else { return }
        do {
            try Posix.mkdir(directory)
        } catch where Posix.fileSize(directory) != nil {
            // Another process made it first.
        }
        try Posix.fsyncDirectory(handle.kind == .data ? self.directory(.data) : root)
    }

    // MARK: Leftovers of interrupted writes (local only)

    /// `.tmp-` files an interrupted backup or prune left in `data/`, `index/` and `snapshots/`, with
    /// their modification times (seconds since the epoch). Only this backend has them: an S3 upload
    /// that never completed is not an object.
    public func leftoverTemporaryFiles() throws(StorageError) -> [(path: String, modified: Int)] {
        try storage {
            var found: [(path: String, modified: Int)] = []
            for kind in [ObjectKind.data, .index, .snapshots] {
                for name in try Posix.listDirectory(directory(kind)) where name.contains(".tmp-") {
                    let path = directory(kind) + "/" + name
                    guard let st = Posix.statIfExists(path), Posix.isRegularFile(st) else { continue }
                    found.append((path, Posix.modificationSeconds(of: st)))
                }
            }
            return found
        }
    }

    /// Removes one file `leftoverTemporaryFiles` named.
    public func removeLeftover(_ path: String) throws(StorageError) {
        guard path.hasPrefix(root + "/"), path.contains("/.tmp-") || path.contains(".tmp-") else {
            throw StorageError(.invalidLocation, "\(path) is not a temporary file of \(root)")
        }
        try storage { try Posix.unlink(path) }
    }

    /// Runs a body of system calls, turning their `SystemError` into `StorageError`: a missing object
    /// is `.notFound` (when `handle` is given), a file shorter than the range asked for `.truncated`.
    fileprivate func storage<T>(_ handle: ObjectHandle? = nil, _ body: () throws -> T) throws(StorageError) -> T {
        do {
            return try body()
        } catch let error as StorageError {
            throw error
        } catch let error as SystemError {
            if handle != nil && error.isNotFound {
                throw StorageError(.notFound, "\(handle.map(describe) ?? root) does not exist", cause: error)
            }
            throw StorageError(error.code == .shortFile ? .truncated : error.isReadOnlyFileSystem ? .readOnly : .io, error.message)
        } catch {
            throw StorageError(.io, "\(error)")
        }
    }
}

/// A pack (or any large object) being written to `DIR/.tmp-RANDOM`, renamed to its name on commit.
final class LocalUpload: ObjectUpload {
    private let backend: LocalBackend
    private var handle: ObjectHandle
    private let temporaryPath: String
    private var fd: Int32
    private(set) var size: Int64 = 0
    private var interruptToken = 0
    /// Committed or aborted: nothing more to write or clean up.
    private var finished = false

    /// The temporary file is in `data/` for a pack (its `XX` directory may not exist yet), so the
    /// rename stays on one file system.
    init(backend: LocalBackend, handle: ObjectHandle) throws {
        self.backend = backend
        self.handle = handle
        let directory = handle.kind == .config ? backend.root : backend.directory(handle.kind)
        let temporary = directory + "/.tmp-" + Posix.randomHex(16)
        temporaryPath = temporary
        interruptToken = Interruption.onInterrupt { try? Posix.unlink(temporary) }
        do {
            fd = try Posix.open(temporary, Posix.createExclusiveWriteOnly, 0o600)
        } catch {
            Interruption.forget(interruptToken)
            throw error
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
        guard !finished else { throw StorageError(.io, "\(temporaryPath): the upload was already committed or aborted") }
        try backend.storage { try Posix.writeFully(fd, bytes, path: temporaryPath) }
        size += Int64(bytes.count)
    }

    func commit(as name: String?) throws(StorageError) {
        guard !finished else { throw StorageError(.io, "\(temporaryPath): the upload was already committed or aborted") }
        if let name { handle = ObjectHandle(handle.kind, name) }
        let target = handle
        try backend.storage {
            try Posix.fsync(fd, path: temporaryPath)
            Posix.close(fd)
            fd = -1
            try backend.makeParent(target)
            try Posix.rename(temporaryPath, backend.path(target))
            Interruption.forget(interruptToken)
            let path = backend.path(target)
            finished = true
            try Posix.fsyncDirectory(String(path[..<path.lastIndex(of: "/")!]))
        }
    }

    func abort() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { Posix.close(fd); fd = -1 }
        try? Posix.unlink(temporaryPath)
        Interruption.forget(interruptToken)
    }

    deinit { abort() }
}

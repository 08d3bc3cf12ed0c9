/// Where a repository's objects live: a local directory, an S3 bucket, … Everything above this
/// protocol names objects by kind and name and never sees a path or a URL.
///
/// What the repository needs from a backend (kura-repository(5), BACKENDS):
/// - a saved object appears whole or not at all, never partly written, under its name;
/// - a saved object can be read back, stat'ed and listed at once (read-after-write);
/// - `list` returns every object of a kind that was saved and not removed before the call began.
/// No backend needs file locks or rename: locks are ordinary objects with a lease.
public protocol Backend: AnyObject, Sendable {
    /// Where the repository is, as the user named it (`/srv/kura`, `s3:https://host/bucket/prefix`).
    var location: String { get }

    /// Where one object is, for messages: `/srv/kura/data/ab/ab12…`, `s3:https://host/bucket/data/ab/ab12…`.
    func describe(_ handle: ObjectHandle) -> String

    /// Makes whatever a new repository needs before its first object (directories, a bucket check).
    func create() throws(StorageError)

    /// Saves a whole object, replacing one of the same name. Atomic: readers see the old object,
    /// nothing, or the whole new one.
    func save(_ handle: ObjectHandle, _ bytes: [UInt8]) throws(StorageError)

    /// Starts writing a large object (a pack) piece by piece; nothing is visible under `handle`
    /// until `ObjectUpload.commit()` returns.
    func beginUpload(_ handle: ObjectHandle) throws(StorageError) -> any ObjectUpload

    /// Reads an object whole, or the bytes of `range` (which must lie inside the object).
    func load(_ handle: ObjectHandle, range: Range<Int64>?) throws(StorageError) -> [UInt8]

    /// The object's size, or nil when there is no such object.
    func stat(_ handle: ObjectHandle) throws(StorageError) -> ObjectInfo?

    /// Every object of a kind. Names that are not the backend's own (temporary files) are left out.
    func list(_ kind: ObjectKind) throws(StorageError) -> [ObjectInfo]

    /// Removes an object; removing one that does not exist is not an error.
    func remove(_ handle: ObjectHandle) throws(StorageError)

    /// True when the backend can be read but not written (a read-only mount, a read-only credential).
    var isReadOnly: Bool { get }

    /// How many uploads a writer should commit at once: 1 for a local disk (a commit is an fsync and a
    /// rename), more for a store that answers each request slowly but many in parallel.
    var concurrentUploads: Int { get }

    /// True when every read is a request to a remote store (S3): readers then merge the ranges they
    /// need into few large reads, fetched ahead, rather than asking blob by blob.
    var readsAreRequests: Bool { get }
}

extension Backend {
    public var concurrentUploads: Int { 1 }

    public var readsAreRequests: Bool { false }

    public func load(_ handle: ObjectHandle) throws(StorageError) -> [UInt8] {
        try load(handle, range: nil)
    }
}

/// A large object being written; see `Backend.beginUpload`.
public protocol ObjectUpload: AnyObject {
    /// Bytes written so far.
    var size: Int64 { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError)
    /// Makes the object visible under its name, durably; after this the upload is spent.
    /// `name` replaces the handle's name when the name is known only at the end (a pack's id is
    /// the hash of its bytes).
    func commit(as name: String?) throws(StorageError)
    /// Drops what was written; safe to call after a failure or twice.
    func abort()
}

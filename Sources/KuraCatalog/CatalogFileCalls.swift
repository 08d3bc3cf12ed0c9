#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls KuraCatalog makes itself, before SQLite opens the file: KuraCatalog does not sit on
/// KuraRepository (whose `Posix` wraps the rest), so these have their own wrapper here.
///
/// A new catalog is created owner-only: the directories kura makes for it 0700, the file 0600, whatever
/// the umask. SQLite gives its companions (`-journal`, `-wal`, `-shm`) the database file's mode and
/// owner, so they are 0600 too. An existing file or directory keeps its mode: a catalog an operator has
/// made 0660 for a group (see the README) stays shared, and its companions follow it.
enum CatalogFileCalls {
    /// Creates the catalog's missing parent directories (mode 0700) and the catalog file itself, empty and
    /// mode 0600, unless it exists; SQLite takes an empty file as a new database.
    static func createOwnerOnly(catalog path: String) throws {
        var parent = ""
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (index, component) in components.enumerated() where !component.isEmpty {
            parent += (index == 0 ? "" : "/") + component
            if mkdir(parent, 0o700) != 0 && errno != EEXIST {
                throw CatalogError(.storage, "cannot create catalog directory \(parent): \(String(cString: strerror(errno)))")
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw CatalogError(.storage, "cannot create catalog \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether anything exists at `path` (following symbolic links, as SQLite's open does).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return fstatat(AT_FDCWD, path, &info, 0) == 0
    }
}

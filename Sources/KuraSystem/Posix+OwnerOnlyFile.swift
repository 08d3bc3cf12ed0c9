#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Posix {
    /// Creates `path`'s missing parent directories (`mkdir(2)`, mode 0700) and the file itself
    /// (`open(2)` with O_CREAT|O_EXCL, empty, mode 0600) unless it exists; an existing file or directory
    /// keeps its mode.
    public static func createOwnerOnlyFile(_ path: String) throws {
        var parent = ""
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (index, component) in components.enumerated() where !component.isEmpty {
            parent += (index == 0 ? "" : "/") + component
            if Glibc.mkdir(parent, 0o700) != 0 && errno != EEXIST { throw error("mkdir", parent) }
        }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            Glibc.close(fd)
        } else if errno != EEXIST {
            throw error("open", path)
        }
    }
}

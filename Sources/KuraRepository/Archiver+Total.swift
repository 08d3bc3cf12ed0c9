import Glibc
import KuraSystem

extension Archiver {
    /// The bytes of the regular files `backup(paths:)` would visit (excludes applied), from `lstat` alone: the
    /// total a progress line counts towards. Unreadable directories count as empty; the backup warns about them.
    public func totalBytes(of paths: [String]) -> Int64 {
        var total: Int64 = 0
        func visit(_ path: String, name: String, isTarget: Bool) {
            if !isTarget && isExcluded(path, name: name) { return }
            guard let st = try? Posix.lstat(path) else { return }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                total += Int64(st.st_size)
            case S_IFDIR:
                for child in (try? Posix.listDirectory(path)) ?? [] {
                    visit(path == "/" ? "/" + child : path + "/" + child, name: child, isTarget: false)
                }
            default:
                break
            }
        }
        for path in Set(paths.map(Self.absolutePath)) {
            visit(path, name: String(path.split(separator: "/").last ?? ""), isTarget: true)
        }
        return total
    }
}

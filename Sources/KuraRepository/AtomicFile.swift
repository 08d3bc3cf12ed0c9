import KuraSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file replaced at once, for files other programs read while kura rewrites them (a node_exporter
/// textfile): written to a temporary file beside it, fsynced, renamed over it. A reader sees the old file or the
/// new one, never a part.
public enum AtomicFile {
    public static func write(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        try Posix.writeFileAtomically(path, bytes, mode: mode)
    }
}

/// libarchive as a whole.
public enum ArchiveLibrary {
    /// The version of the libarchive kura runs with, and of the libraries it was built with
    /// (`libarchive 3.7.2 zlib/1.3 liblzma/5.4.5 ...`).
    public static var versionDetails: String { ArchiveCalls.versionDetails }
}

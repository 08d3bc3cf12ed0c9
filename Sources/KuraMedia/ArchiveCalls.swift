import CArchive

/// Every libarchive call KuraMedia makes passes through here, into the library loaded on first use.
enum ArchiveCalls {
    static let ok = ARCHIVE_OK
    static let eof = ARCHIVE_EOF
    static let warn = ARCHIVE_WARN

    /// The names libarchive is opened by: its soname since libarchive 3.0 (2011), then the development link.
    static let libraryNames = ["libarchive.so.13", "libarchive.so"]

    /// libarchive's functions (`dlopen` and `dlsym`, in CArchive's shim), loaded once; or why not.
    nonisolated(unsafe) private static let loaded: Result<UnsafePointer<kura_archive_api>, MediaError> = {
        var problem: UnsafePointer<CChar>?
        for name in libraryNames {
            if let api = kura_archive_load(name, &problem) { return .success(api) }
        }
        let reason = problem.map { String(cString: $0) } ?? "\(libraryNames[0]) was not found"
        return .failure(MediaError(.libraryMissing, "media commands need libarchive (\(libraryNames[0]), Debian's libarchive13), "
                                       + "which cannot be loaded: \(reason)"))
    }()

    /// Loads libarchive if it is not yet; throws when it cannot be. Every reader and writer starts with it.
    static func load() throws(MediaError) { _ = try loaded.get() }

    /// The functions, once `load` succeeded.
    private static var api: UnsafePointer<kura_archive_api> {
        guard case .success(let api) = loaded else { preconditionFailure("libarchive called before ArchiveCalls.load") }
        return api
    }

    /// `archive_error_string` and `archive_errno`, as one line.
    static func error(_ archive: OpaquePointer) -> (code: Int32, message: String) {
        let text = api.pointee.archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
        return (api.pointee.archive_errno(archive), text)
    }

    // MARK: Writing

    /// `archive_write_new`, `archive_write_set_format_pax_restricted`, `archive_write_set_bytes_per_block`,
    /// `archive_write_set_bytes_in_last_block`, `archive_write_open_fd`.
    static func openWriter(fd: Int32, blockSize: Int32) -> (OpaquePointer?, Int32) {
        guard let a = api.pointee.archive_write_new() else { return (nil, -1) }
        var rc = api.pointee.archive_write_set_format_pax_restricted(a)
        if rc == ARCHIVE_OK { rc = api.pointee.archive_write_set_bytes_per_block(a, blockSize) }
        if rc == ARCHIVE_OK { rc = api.pointee.archive_write_set_bytes_in_last_block(a, blockSize) }
        if rc == ARCHIVE_OK { rc = api.pointee.archive_write_open_fd(a, fd) }
        return (a, rc)
    }

    /// `archive_entry_new` and its setters, then `archive_write_header`.
    static func writeHeader(_ a: OpaquePointer, path: String, size: Int64, mtime: Int) -> Int32 {
        guard let entry = api.pointee.archive_entry_new() else { return ARCHIVE_FATAL }
        defer { api.pointee.archive_entry_free(entry) }
        api.pointee.archive_entry_set_pathname_utf8(entry, path)
        api.pointee.archive_entry_set_size(entry, size)
        api.pointee.archive_entry_set_filetype(entry, UInt32(0o100000))
        api.pointee.archive_entry_set_perm(entry, 0o600)
        api.pointee.archive_entry_set_mtime(entry, mtime, 0)
        api.pointee.archive_entry_set_uname(entry, "kura")
        api.pointee.archive_entry_set_gname(entry, "kura")
        return api.pointee.archive_write_header(a, entry)
    }

    /// `archive_write_data`: bytes written, or negative on error.
    static func writeData(_ a: OpaquePointer, _ buffer: UnsafeRawBufferPointer) -> Int {
        api.pointee.archive_write_data(a, buffer.baseAddress, buffer.count)
    }

    /// `archive_write_close`
    static func closeWriter(_ a: OpaquePointer) -> Int32 { api.pointee.archive_write_close(a) }

    /// `archive_write_free`
    static func freeWriter(_ a: OpaquePointer) { _ = api.pointee.archive_write_free(a) }

    // MARK: Reading

    /// `archive_read_new`, `archive_read_support_format_tar` (pax is tar), `archive_read_open` with
    /// `read` as its read callback and `client` as its client data. Each reader gets one set, and
    /// stops at its end-of-archive marker: what follows is padding, or junk a killed write left.
    static func openReader(client: UnsafeMutableRawPointer,
                           read: @escaping @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int)
        -> (OpaquePointer?, Int32) {
        guard let a = api.pointee.archive_read_new() else { return (nil, -1) }
        var rc = api.pointee.archive_read_support_format_tar(a)
        if rc == ARCHIVE_OK { rc = api.pointee.archive_read_open(a, client, nil, read, nil) }
        return (a, rc)
    }

    /// `archive_read_next_header`; the entry's path, size and kind when there is one (with
    /// `archive_entry_filetype`, `archive_entry_hardlink`, `archive_entry_symlink`).
    static func nextHeader(_ a: OpaquePointer) -> (rc: Int32, path: String, size: Int64, kind: ArchiveReader.EntryKind) {
        var entry: OpaquePointer?
        let rc = api.pointee.archive_read_next_header(a, &entry)
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else { return (rc, "", 0, .other) }
        let path = api.pointee.archive_entry_pathname_utf8(entry).map { String(cString: $0) }
            ?? api.pointee.archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let kind: ArchiveReader.EntryKind
        if let target = api.pointee.archive_entry_hardlink(entry) {
            kind = .hardLink(String(cString: target))
        } else {
            switch api.pointee.archive_entry_filetype(entry) & 0o170000 {
            case 0o100000: kind = .regular
            case 0o040000: kind = .directory
            case 0o120000: kind = .symbolicLink(api.pointee.archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
            case 0o020000, 0o060000: kind = .device
            case 0o010000: kind = .fifo
            default: kind = .other
            }
        }
        return (rc, path, api.pointee.archive_entry_size_is_set(entry) != 0 ? api.pointee.archive_entry_size(entry) : -1, kind)
    }

    /// `archive_read_data`: bytes read, 0 at the end of the entry, negative on error.
    static func readData(_ a: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        api.pointee.archive_read_data(a, buffer.baseAddress, buffer.count)
    }

    /// `archive_read_data_skip`
    static func skipData(_ a: OpaquePointer) -> Int32 { api.pointee.archive_read_data_skip(a) }

    /// `archive_read_free`
    static func freeReader(_ a: OpaquePointer) { _ = api.pointee.archive_read_free(a) }

    /// `archive_version_details`: libarchive's version and the versions of the libraries it was built with;
    /// why it cannot be loaded when it cannot.
    static var versionDetails: String {
        switch loaded {
        case .success(let api): return api.pointee.archive_version_details().map { String(cString: $0) } ?? "unknown"
        case .failure(let error): return "not loadable (\(error.message))"
        }
    }
}

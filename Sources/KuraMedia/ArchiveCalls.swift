import CArchive

/// Every libarchive call KuraMedia makes passes through here.
enum ArchiveCalls {
    static let ok = ARCHIVE_OK
    static let eof = ARCHIVE_EOF
    static let warn = ARCHIVE_WARN

    /// `archive_error_string` and `archive_errno`, as one line.
    static func error(_ archive: OpaquePointer) -> (code: Int32, message: String) {
        let text = archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
        return (archive_errno(archive), text)
    }

    // MARK: Writing

    /// `archive_write_new`, `archive_write_set_format_pax_restricted`, `archive_write_set_bytes_per_block`,
    /// `archive_write_set_bytes_in_last_block`, `archive_write_open_fd`.
    static func openWriter(fd: Int32, blockSize: Int32) -> (OpaquePointer?, Int32) {
        guard let a = archive_write_new() else { return (nil, -1) }
        var rc = archive_write_set_format_pax_restricted(a)
        if rc == ARCHIVE_OK { rc = archive_write_set_bytes_per_block(a, blockSize) }
        if rc == ARCHIVE_OK { rc = archive_write_set_bytes_in_last_block(a, blockSize) }
        if rc == ARCHIVE_OK { rc = archive_write_open_fd(a, fd) }
        return (a, rc)
    }

    /// `archive_entry_new` and its setters, then `archive_write_header`.
    static func writeHeader(_ a: OpaquePointer, path: String, size: Int64, mtime: Int) -> Int32 {
        guard let entry = archive_entry_new() else { return ARCHIVE_FATAL }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, UInt32(0o100000))
        archive_entry_set_perm(entry, 0o600)
        archive_entry_set_mtime(entry, mtime, 0)
        archive_entry_set_uname(entry, "kura")
        archive_entry_set_gname(entry, "kura")
        return archive_write_header(a, entry)
    }

    /// `archive_write_data`: bytes written, or negative on error.
    static func writeData(_ a: OpaquePointer, _ buffer: UnsafeRawBufferPointer) -> Int {
        archive_write_data(a, buffer.baseAddress, buffer.count)
    }

    /// `archive_write_close`
    static func closeWriter(_ a: OpaquePointer) -> Int32 { archive_write_close(a) }

    /// `archive_write_free`
    static func freeWriter(_ a: OpaquePointer) { archive_write_free(a) }

    // MARK: Reading

    /// `archive_read_new`, `archive_read_support_format_tar` (pax is tar), `archive_read_open` with
    /// `read` as its read callback and `client` as its client data. Each reader gets one set, and
    /// stops at its end-of-archive marker: what follows is padding, or junk a killed write left.
    static func openReader(client: UnsafeMutableRawPointer,
                           read: @escaping @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int)
        -> (OpaquePointer?, Int32) {
        guard let a = archive_read_new() else { return (nil, -1) }
        var rc = archive_read_support_format_tar(a)
        if rc == ARCHIVE_OK { rc = archive_read_open(a, client, nil, read, nil) }
        return (a, rc)
    }

    /// `archive_read_next_header`; the entry's path, size and kind when there is one (with
    /// `archive_entry_filetype`, `archive_entry_hardlink`, `archive_entry_symlink`).
    static func nextHeader(_ a: OpaquePointer) -> (rc: Int32, path: String, size: Int64, kind: ArchiveReader.EntryKind) {
        var entry: OpaquePointer?
        let rc = archive_read_next_header(a, &entry)
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else { return (rc, "", 0, .other) }
        let path = archive_entry_pathname_utf8(entry).map { String(cString: $0) }
            ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let kind: ArchiveReader.EntryKind
        if let target = archive_entry_hardlink(entry) {
            kind = .hardLink(String(cString: target))
        } else {
            switch archive_entry_filetype(entry) & 0o170000 {
            case 0o100000: kind = .regular
            case 0o040000: kind = .directory
            case 0o120000: kind = .symbolicLink(archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
            case 0o020000, 0o060000: kind = .device
            case 0o010000: kind = .fifo
            default: kind = .other
            }
        }
        return (rc, path, archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : -1, kind)
    }

    /// `archive_read_data`: bytes read, 0 at the end of the entry, negative on error.
    static func readData(_ a: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        archive_read_data(a, buffer.baseAddress, buffer.count)
    }

    /// `archive_read_data_skip`
    static func skipData(_ a: OpaquePointer) -> Int32 { archive_read_data_skip(a) }

    /// `archive_read_free`
    static func freeReader(_ a: OpaquePointer) { archive_read_free(a) }

    /// `archive_version_string`
    static var version: String { String(cString: archive_version_string()) }

    /// `archive_version_details`: libarchive's version and the versions of the libraries it was built with.
    static var versionDetails: String { String(cString: archive_version_details()) }
}

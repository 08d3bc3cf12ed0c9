/// The sets of a medium in order, each read as its own archive (see `MediumSegments`), and the
/// entries of the current set.
final class MediumStream {
    let device: String
    private let fd: Int32
    private let segments: MediumSegments
    private var reader: ArchiveReader
    /// libarchive must not be asked for another header after it reported the end.
    private var atEnd = false

    /// Reads `device` from `offset` (the start of a set, or 0); a copy of the first set goes to `tee`.
    convenience init(device: String, offset: Int64 = 0, tee: Int32? = nil) throws {
        let fd = try DeviceCalls.openForReading(device)
        do {
            if offset > 0 { try DeviceCalls.seek(fd, to: offset, path: device) }
        } catch {
            DeviceCalls.close(fd)
            throw error
        }
        // A tape returns one block per read and fails a read shorter than its block: ask for the largest kura writes.
        try self.init(fd: fd, device: device, readSize: DeviceCalls.isRegularFileOrMissing(device) ? 1 << 20 : 16 << 20,
                      offset: offset, tee: tee)
    }

    /// Reads an open file from its start; the stream closes it.
    convenience init(spool fd: Int32, device: String) throws {
        do {
            try DeviceCalls.seek(fd, to: 0, path: device)
        } catch {
            DeviceCalls.close(fd)
            throw error
        }
        try self.init(fd: fd, device: device, readSize: 1 << 20, offset: 0, tee: nil)
    }

    private init(fd: Int32, device: String, readSize: Int, offset: Int64, tee: Int32?) throws {
        self.device = device
        self.fd = fd
        segments = MediumSegments(fd: fd, device: device, readSize: readSize, offset: offset)
        segments.tee = tee
        do {
            reader = try ArchiveReader(source: segments)
        } catch {
            DeviceCalls.close(fd)
            throw error
        }
    }

    deinit { DeviceCalls.close(fd) }

    /// Where the current set starts on the device.
    var setOffset: Int64 { segments.segmentStart }

    /// Stops (nil) or starts copying the current set's bytes.
    var tee: Int32? {
        get { segments.tee }
        set { segments.tee = newValue }
    }

    /// The next entry of the current set, nil at its end.
    func next() throws -> ArchiveReader.Entry? {
        guard !atEnd else { return nil }
        guard let entry = try reader.next() else {
            atEnd = true
            return nil
        }
        return entry
    }

    func readAll(_ entry: ArchiveReader.Entry) throws -> [UInt8] { try reader.readAll(expected: entry.size) }

    func skip() throws { try reader.skip() }

    /// Moves past what is left of the current set (whatever its state) to the next set, whose
    /// bytes are copied to `tee`; false at the end of the medium.
    func nextSet(tee: Int32? = nil) throws -> Bool {
        guard try segments.nextSegment() else { return false }
        segments.tee = tee
        reader = try ArchiveReader(source: segments)
        atEnd = false
        return true
    }

    /// Reads what is left of the current set; whether its archive has the end-of-archive marker.
    func finishSet() throws -> Bool {
        while try segments.chunk().count > 0 {}
        return segments.markerSeen
    }

    /// After `finishSet`: where bytes that are not part of the set's archive follow its end, or nil.
    var junkOffset: Int64? { segments.junkOffset }

    /// The first entry of the current set, which must be its label.
    func firstLabel() throws -> (ArchiveReader.Entry, MediumLabel) {
        let entry: ArchiveReader.Entry?
        do {
            entry = try next()
        } catch let error as MediaError where error.code == .notKuraMedium || error.code == .truncated {
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium (\(error.message))")
        }
        guard let entry else { throw MediaError(.notKuraMedium, "\(device) is empty: not a kura medium") }
        guard Self.isLabel(entry) else {
            throw MediaError(.notKuraMedium, "\(device) is not a kura medium: its first entry is \(entry.path), not a kura label")
        }
        return (entry, try MediumLabel.decode(try readAll(entry), path: entry.path, device: device))
    }

    /// Reads the rest of the current set after its label, skipping data, and says why it is not
    /// complete (nil when it is): a set is complete when its archive ends with the end-of-archive
    /// marker and holds its snapshot files, an index and as many packs as its label says.
    func checkRest(of label: MediumLabel) throws -> String? {
        var snapshots = 0, indexes = 0, packs = 0
        var problem: String?
        do {
            while let entry = try next() {
                switch SetEntry(entry, set: label.set) {
                case .snapshot: snapshots += 1
                case .index: indexes += 1
                case .pack: packs += 1
                default: break
                }
                try skip()
            }
        } catch let error as MediaError where error.code != .device {
            problem = error.message
        }
        let marker = try finishSet()
        if let problem { return problem }
        if packs < label.packs { return "it holds \(packs) of its \(label.packs) pack\(label.packs == 1 ? "" : "s")" }
        if indexes == 0 { return "it has no index" }
        if snapshots < label.snapshots.count { return "it holds \(snapshots) of its \(label.snapshots.count) snapshot files" }
        if !marker { return "it ends without the end-of-archive marker" }
        return nil
    }

    /// A set's label starts a set: a regular file `kura-set-R/label.json`.
    static func isLabel(_ entry: ArchiveReader.Entry) -> Bool {
        let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
        return entry.kind == .regular && parts.count == 2 && parts[0].hasPrefix("kura-set-") && parts[1] == "label.json"
    }
}

/// The entries of a medium in order, with one entry of look-ahead so a set's reader can stop at
/// the next set's label.
final class MediumStream {
    let device: String
    private let fd: Int32
    private let reader: ArchiveReader
    private var pending: ArchiveReader.Entry?
    /// libarchive must not be asked for another header after it reported the end.
    private var atEnd = false

    init(device: String) throws {
        self.device = device
        fd = try DeviceCalls.openForReading(device)
        do {
            // A tape returns one block per read and fails a read shorter than its block: ask for the largest kura writes.
            reader = try ArchiveReader(fd: fd, device: device, blockSize: DeviceCalls.isRegularFileOrMissing(device) ? 1 << 20 : 16 << 20)
        } catch {
            DeviceCalls.close(fd)
            throw error
        }
    }

    deinit { DeviceCalls.close(fd) }

    func next() throws -> ArchiveReader.Entry? {
        if let entry = pending {
            pending = nil
            return entry
        }
        guard !atEnd else { return nil }
        guard let entry = try reader.next() else {
            atEnd = true
            return nil
        }
        return entry
    }

    func pushBack(_ entry: ArchiveReader.Entry) { pending = entry }

    func readAll(_ entry: ArchiveReader.Entry) throws -> [UInt8] { try reader.readAll(expected: entry.size) }

    func skip() throws { try reader.skip() }

    /// The first entry, which must be a set's label.
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

    /// A set's label starts a set: a regular file `kura-set-R/label.json`.
    static func isLabel(_ entry: ArchiveReader.Entry) -> Bool {
        let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
        return entry.kind == .regular && parts.count == 2 && parts[0].hasPrefix("kura-set-") && parts[1] == "label.json"
    }
}

import KuraRepository

/// Reads a whole medium back: every set's label, snapshots, index and trees, and every pack's
/// bytes against its name and every blob against its authentication tag and id.
public enum MediumVerifier {
    public struct SetReport: Sendable, Encodable {
        public var set: String
        public var serial: String
        public var repositoryID: String
        public var snapshots: [String]
        public var packsRead = 0
        public var blobsRead = 0
        public var bytesRead: Int64 = 0
        public var damagedPacks: [String: String] = [:]
        public var missingPacks: [String] = []
        /// Whether the label authenticated: "authenticated", "version 1, not authenticated", or why it failed.
        public var label = ""
        public var labelAuthentic = true
        /// Entries on the medium within this set's span that are not part of it, named.
        public var foreignEntries: [String] = []

        enum CodingKeys: String, CodingKey {
            case set, serial, snapshots, label, damagedPacks = "damaged_packs", missingPacks = "missing_packs"
            case labelAuthentic = "label_authentic", foreignEntries = "foreign_entries"
            case repositoryID = "repository_id", packsRead = "packs_read", blobsRead = "blobs_read", bytesRead = "bytes_read"
        }
    }

    public struct Report: Sendable, Encodable {
        public var device: String
        public var sets: [SetReport] = []
        /// Problems that stopped the read (truncation, a foreign archive).
        public var errors: [String] = []
        /// Sets left incomplete (an interrupted write, a cut medium): named, not read, not counted.
        public var skipped: [String] = []

        public init(device: String) { self.device = device }

        public var problems: [String] {
            errors + sets.flatMap { set in
                (set.labelAuthentic ? [] : [set.label])
                    + set.foreignEntries.map { "set \(set.set): \($0)" }
                    + set.damagedPacks.sorted { $0.key < $1.key }.map { "set \(set.set): pack \($0.key) \($0.value)" }
                    + set.missingPacks.map { "set \(set.set): pack \($0) is missing" }
            }
        }
        public var passed: Bool { problems.isEmpty }
        public var snapshotIDs: Set<String> { Set(sets.flatMap(\.snapshots)) }
    }

    /// Reads every set; a set an interrupted write left incomplete (not recorded in the catalog by
    /// kura) is named in `skipped` and the sets after it are read.
    public static func verify(device: String, password: String) throws -> Report {
        var report = Report(device: device)
        let stream = try MediumStream(device: device)
        var label: MediumLabel? = try stream.firstLabel().1
        while let current = label {
            let offset = stream.setOffset
            var setReport = SetReport(set: current.set, serial: current.serial, repositoryID: current.repositoryID, snapshots: [])
            let reader = try MediumSetReader(stream: stream, label: current, password: password)
            setReport.serial = reader.label.serial
            setReport.labelAuthentic = reader.labelFailure == nil
            setReport.label = reader.labelFailure?.message
                ?? (reader.label.isAuthenticated ? "authenticated" : "version \(reader.label.version), not authenticated")
            var failure: MediaError?
            do {
                try reader.read(onMetadataComplete: { _ in }, onPack: { pack, bytes in
                    setReport.packsRead += 1
                    setReport.bytesRead += Int64(bytes.count)
                    if BlobID.ofFile(bytes) != pack { setReport.damagedPacks[pack.hex] = "does not match its name" }
                    var bad = 0
                    for entry in try reader.index.entries(of: pack) {
                        do {
                            try reader.decodeBlobs(of: pack, bytes: bytes, wanted: { $0.id == entry.id }) { _, _ in }
                            setReport.blobsRead += 1
                        } catch {
                            bad += 1
                        }
                    }
                    if bad > 0 { setReport.damagedPacks[pack.hex] = "has \(bad) blob\(bad == 1 ? "" : "s") that fail authentication or do not match their ids" }
                })
            } catch let error as MediaError where error.code != .device {
                failure = error
            } catch let error as RepositoryError where error.code == .damaged {
                failure = MediaError(.damaged, error.message)
            }
            let marker = try stream.finishSet()
            let seen = Set(reader.packsSeen)
            // A set cut short (an interrupted write, a cut medium) is skipped; damage inside a whole set is a problem.
            let cut: String? = failure.map { $0.code == .truncated ? $0.message : nil }
                ?? (!reader.indexSeen ? "it has no index" : seen.count < current.packs ? "it holds \(seen.count) of its \(current.packs) packs"
                    : !marker ? "it ends without the end-of-archive marker" : nil)
            if let cut {
                report.skipped.append(MediumInspector.skipMessage(device: device, .init(offset: offset, label: current, problem: cut)))
            } else {
                if let failure { report.errors.append(failure.message) }
                if let junk = stream.junkOffset {
                    report.errors.append("set \(current.set): the bytes after its end-of-archive marker are not all zero (from byte \(junk))")
                }
                setReport.snapshots = reader.snapshots.keys.map(\.hex).sorted()
                setReport.foreignEntries = reader.foreignEntries
                setReport.missingPacks = reader.index.packIDs.filter { !seen.contains($0) }.map(\.hex)
                report.sets.append(setReport)
            }
            label = try MediumRestore.nextLabel(stream, onSkippedSet: { report.skipped.append($0) })
        }
        return report
    }
}

import Foundation
import KuraCrypto
import KuraRepository

/// Writes backup sets to a tape device or a file as a pax archive: the label first, then the
/// repository config, snapshot files, an index of the packs in the set, the tree blobs (so a
/// reader knows every listing before any data arrives), then the packs, in the order a restore
/// first needs them.
public struct MediumWriter {
    public var serial: String
    public var barcode: String?
    public var writtenBy: String
    public var retainUntil: Date
    /// Bytes per tape block (libarchive writes whole blocks).
    public var blockSize: Int = 256 << 10

    public init(serial: String, barcode: String?, writtenBy: String, retainUntil: Date) {
        self.serial = serial
        self.barcode = barcode
        self.writtenBy = writtenBy
        self.retainUntil = retainUntil
    }

    /// Everything about the set except its bytes on the device, before anything is written: the
    /// clear part, the sealed details and the MAC (both need the repository's full key).
    public func label(for plan: ExportPlan, snapshots: [SnapshotEntry], repository: Repository) throws -> MediumLabel {
        var slots: [String: String] = [:]
        for (id, bytes) in try repository.keySlotFiles(kind: .full) { slots[id] = try MediumLabel.labelKeySlot(bytes) }
        let setName = "kura-set-" + Hex.encode(RandomBytes.generate(8))
        let summaries = snapshots.map { entry in
            MediumLabel.SnapshotSummary(id: entry.id.hex, time: Snapshot.formatTime(entry.snapshot.time),
                                        bytes: entry.snapshot.summary?.bytesRead ?? 0)
        }
        let details = MediumLabel.Details(writtenBy: writtenBy, snapshots: snapshots.map {
            .init(id: $0.id.hex, hostname: $0.snapshot.hostname, paths: $0.snapshot.paths, tags: $0.snapshot.tags)
        })
        let treeBytes = plan.trees.reduce(0) { $0 + 88 + $1.entries.reduce(0) { $0 + Int($1.length) } }
        let bytes = plan.packBytes + plan.indexFile.count + plan.snapshots.reduce(0) { $0 + $1.bytes.count } + treeBytes
        return try MediumLabel.make(set: setName, serial: serial, barcode: barcode, repositoryID: repository.id.hex,
                                    snapshots: summaries, packs: plan.packs.count, bytes: Int64(bytes),
                                    writtenAt: Snapshot.formatTime(Date()), retainUntil: Snapshot.formatTime(retainUntil),
                                    keySlots: slots, details: details, key: repository.key)
    }

    static let writebackStretch: Int64 = 32 << 20

    /// Where on the device a set goes.
    public enum Position: Sendable, Equatable {
        /// From the start: a file is emptied first.
        case start
        /// After what is there: a file is extended; a tape must already be positioned at the end
        /// of its data (e.g. with `mt eod`).
        case end
        /// At this byte of a file, which is cut there first (what follows is a set an
        /// interrupted write left incomplete).
        case offset(Int64)
    }

    /// Writes the set to `device` at `position`. Returns the bytes written to the device.
    @discardableResult
    public func write(_ plan: ExportPlan, label: MediumLabel, repository: Repository, to device: String, at position: Position,
                      progress: ((Int64) -> Void)? = nil) throws -> Int64 {
        let fd: Int32
        switch position {
        case .start: fd = try DeviceCalls.openForWriting(device, append: false)
        case .end: fd = try DeviceCalls.openForWriting(device, append: true)
        case .offset(let offset): fd = try DeviceCalls.openForWriting(device, at: offset)
        }
        defer { DeviceCalls.close(fd) }
        let writer = try ArchiveWriter(fd: fd, device: device, blockSize: blockSize)
        let set = label.set
        let mtime = Int(Date().timeIntervalSince1970)
        try writer.add("\(set)/label.json", label.encoded, mtime: mtime)
        try writer.add("\(set)/config", try repository.configFileBytes(), mtime: mtime)
        for (id, bytes) in plan.snapshots { try writer.add("\(set)/snapshots/\(id.hex)", bytes, mtime: mtime) }
        try writer.add("\(set)/index/\(BlobID.ofFile(plan.indexFile).hex)", plan.indexFile, mtime: mtime)
        for trees in plan.trees {
            try writer.add("\(set)/trees/\(trees.pack.hex)", try repository.extractBlobs(trees.entries, of: trees.pack), mtime: mtime)
        }
        // A file's pages are sent to its disk as the set is written, a stretch at a time, so the fsync
        // at the end waits for the last stretch rather than for the whole set.
        var sentToDisk = DeviceCalls.regularFileOffset(fd)
        var lastStretch = writer.bytesWritten
        for (pack, size) in plan.packs {
            try writer.begin("\(set)/data/\(pack.hex.prefix(2))/\(pack.hex)", size: size, mtime: mtime)
            // Streamed from the backend, wherever it is (a local directory, S3).
            try repository.streamPack(pack, size: size) { piece in
                try writer.write(piece)
                progress?(writer.bytesWritten)
                if let sent = sentToDisk, writer.bytesWritten - lastStretch >= Self.writebackStretch,
                   let now = DeviceCalls.regularFileOffset(fd) {
                    DeviceCalls.startWriteback(fd, offset: sent, count: now - sent)
                    sentToDisk = now
                    lastStretch = writer.bytesWritten
                }
            }
        }
        try writer.close()
        try DeviceCalls.flush(fd, device: device)
        return writer.bytesWritten
    }

    /// Reads back the set just written to a file, from `offset`: its label must be the one
    /// written and the set complete (its snapshot files, index and packs, and the end-of-archive
    /// marker). Throws `.damaged` naming what is wrong.
    public static func checkWritten(device: String, at offset: Int64, label: MediumLabel) throws {
        let failure = { (why: String) in MediaError(.damaged, "the set \(label.set) just written to \(device) at byte \(offset) does not read back: \(why)") }
        do {
            let stream = try MediumStream(device: device, offset: offset)
            let (_, read) = try stream.firstLabel()
            guard read.set == label.set, read.mac == label.mac, read.snapshots == label.snapshots else { throw failure("another label is there") }
            if let problem = try stream.checkRest(of: read) { throw failure(problem) }
            guard try !stream.nextSet() else { throw failure("something follows it") }
        } catch let error as MediaError where error.code != .damaged {
            throw failure(error.message)
        }
    }
}



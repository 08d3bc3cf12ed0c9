import KuraRepository

/// Writes one file of a snapshot to a descriptor strictly in order. Chunks that arrive before
/// their turn wait in an unlinked scratch file, so memory stays bounded whatever the pack order.
final class StreamLayout: ChunkLayout {
    private let output: Int32
    private var offsets: [Int] = []
    private var lengths: [Int] = []
    private var needsMap: [BlobID: [Int]] = [:]
    private var arrived: [Bool] = []
    private var next = 0
    private var spool: Int32 = -1
    private let name: String
    let fileCount = 1

    init(name: String, output: Int32, snapshot: Snapshot, trees: [BlobID: Tree], index: MasterIndex) throws {
        self.output = output
        self.name = name
        let wanted = "/" + name.split(separator: "/").joined(separator: "/")
        var found: Node?
        try walkTrees(snapshot.tree, trees) { path, node in if path == wanted { found = node } }
        guard let node = found else { throw MediaError(.snapshotNotFound, "no \(name) in the snapshot") }
        guard node.type == .file else { throw MediaError(.snapshotNotFound, "\(name) in the snapshot is not a file") }
        for (i, (blob, offset)) in try chunkOffsets(node, index: index).enumerated() {
            offsets.append(offset)
            needsMap[blob, default: []].append(i)
        }
        for i in offsets.indices { lengths.append((i + 1 < offsets.count ? offsets[i + 1] : Int(node.size)) - offsets[i]) }
        arrived = Array(repeating: false, count: offsets.count)
    }

    deinit { if spool >= 0 { DeviceCalls.close(spool) } }

    func start() throws {}

    func needs(_ blob: BlobID) -> Bool { needsMap[blob] != nil }

    func deliver(_ blob: BlobID, _ plain: [UInt8]) throws {
        guard let chunks = needsMap.removeValue(forKey: blob) else { return }
        for i in chunks {
            if i == next {
                try plain.withUnsafeBytes { try DeviceCalls.writeAll(output, $0, path: "standard output") }
                next += 1
            } else {
                if spool < 0 { spool = try DeviceCalls.scratchFile() }
                try plain.withUnsafeBytes { buffer in
                    try DeviceCalls.writeAll(spool, buffer, path: "scratch file")
                }
                spooled[i] = spoolEnd
                spoolEnd += plain.count
            }
            arrived[i] = true
        }
        try drain()
    }

    /// Where each early chunk sits in the scratch file.
    private var spooled: [Int: Int] = [:]
    private var spoolEnd = 0

    private func drain() throws {
        while next < arrived.count && arrived[next], let at = spooled.removeValue(forKey: next) {
            var buffer = [UInt8](repeating: 0, count: lengths[next])
            try buffer.withUnsafeMutableBytes { try DeviceCalls.pread(spool, into: $0, offset: at, path: "scratch file") }
            try buffer.withUnsafeBytes { try DeviceCalls.writeAll(output, $0, path: "standard output") }
            next += 1
        }
    }

    func finish() throws -> [String] {
        try drain()
        return next == arrived.count ? [] : [name]
    }
}

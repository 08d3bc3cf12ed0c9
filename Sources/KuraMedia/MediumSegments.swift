
/// The raw bytes of a medium, read once and in order, cut into sets: a set starts at a 512-byte
/// block (counted from where reading began) that is the ustar header of a kura label,
/// `kura-set-R/label.json`, and ends where the next one starts or at the end of the medium.
/// Reading each set as its own archive is what lets a reader skip a set an interrupted write left
/// partial: libarchive alone would take the next set's bytes as the rest of the cut entry. Packs,
/// snapshots and indexes are encrypted and the config and label are JSON, so no set's content holds
/// such a block by chance; a partial write that is not a whole number of 512-byte blocks would hide
/// the sets after it.
final class MediumSegments {
    let device: String
    private let fd: Int32
    private let readSize: Int
    private let buffer: UnsafeMutableRawBufferPointer
    /// Valid bytes are buffer[start..<end]; buffer[0] is at `base` in the stream.
    private var start = 0, end = 0
    private var base: Int64
    private var eof = false
    /// Where the current set began in the device.
    private(set) var segmentStart: Int64
    private var atSegmentStart = true
    private(set) var segmentEnded = false
    /// Whether the current set has given two 512-byte blocks of zeros in a row: its archive's
    /// end-of-archive marker (no entry's data holds that many: they are encrypted or JSON).
    private(set) var markerSeen = false
    private var zeroRun = 0
    /// Where bytes that are not zero start after the marker (junk, such as a part of a block
    /// an interrupted write left), or nil.
    private(set) var junkOffset: Int64?
    /// A copy of every byte of the current set goes here.
    var tee: Int32?
    /// The error of the last read, for the libarchive callback that cannot throw.
    var lastError: MediaError?

    init(fd: Int32, device: String, readSize: Int, offset: Int64) {
        self.fd = fd
        self.device = device
        self.readSize = readSize
        buffer = .allocate(byteCount: readSize + 512, alignment: 4096)
        base = offset
        segmentStart = offset
    }

    deinit { buffer.deallocate() }

    /// The next bytes of the current set, empty at its end; valid until the next call.
    func chunk() throws -> UnsafeRawBufferPointer {
        if segmentEnded { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if end - start < 512 && !eof { try refill() }
        var cut = start
        var boundary = false
        while cut + 512 <= end {
            if !(cut == start && atSegmentStart) && Self.isLabelHeader(UnsafeRawBufferPointer(rebasing: buffer[cut..<cut + 512])) {
                boundary = true
                break
            }
            cut += 512
        }
        if !boundary && eof { cut = end }
        atSegmentStart = false
        if cut == start {
            segmentEnded = true
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        let out = UnsafeRawBufferPointer(rebasing: buffer[start..<cut])
        let outOffset = base + Int64(start)
        start = cut
        var block = 0
        while block < out.count {
            let bytes = out[block..<min(out.count, block + 512)]
            if bytes.count == 512 && !bytes.contains(where: { $0 != 0 }) {
                zeroRun += 512
                if zeroRun >= 1024 { markerSeen = true }
            } else {
                zeroRun = 0
                if markerSeen && junkOffset == nil { junkOffset = outOffset + Int64(block) }
            }
            block += 512
        }
        if let tee { try DeviceCalls.writeAll(tee, out, path: "the spool file") }
        return out
    }

    /// Reads the rest of the current set and starts the next one; false at the end of the medium.
    func nextSegment() throws -> Bool {
        while !segmentEnded { _ = try chunk() }
        if end - start < 512 && !eof { try refill() }
        guard end - start >= 512 else { return false }
        segmentStart = base + Int64(start)
        segmentEnded = false
        atSegmentStart = true
        markerSeen = false
        zeroRun = 0
        junkOffset = nil
        return true
    }

    private func refill() throws {
        let kept = end - start
        if start > 0 {
            if kept > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: kept) }  // may overlap: a memmove
            base += Int64(start)
            start = 0
            end = kept
        }
        // A tape returns one block per read and fails a read shorter than its block: always offer `readSize`.
        while end < 512 && !eof {
            let n = try DeviceCalls.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<end + readSize]), path: device)
            if n == 0 { eof = true } else { end += n }
        }
    }

    private static let prefix = Array("kura-set-".utf8), suffix = Array("/label.json".utf8)

    /// A ustar header with a valid checksum for a regular file named `kura-set-` + 16 hex digits + `/label.json`.
    static func isLabelHeader(_ block: UnsafeRawBufferPointer) -> Bool {
        // Called for every block read: the first byte rules out almost all of them.
        guard block.count == 512, block[0] == UInt8(ascii: "k") else { return false }
        let nameLength = prefix.count + 16 + suffix.count
        guard block[nameLength] == 0,
              block.starts(with: prefix),
              block[prefix.count..<prefix.count + 16].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
              block[(prefix.count + 16)..<nameLength].elementsEqual(suffix),
              block[156] == 0x30 || block[156] == 0,
              block[257..<262].elementsEqual(Array("ustar".utf8)) else { return false }
        var recorded = 0
        for byte in block[148..<156] {
            if byte == 0 || byte == 0x20 { if recorded > 0 { break } else { continue } }
            guard byte >= 0x30 && byte <= 0x37 else { return false }
            recorded = recorded * 8 + Int(byte - 0x30)
        }
        var sum = 0
        for i in 0..<512 { sum += (148..<156).contains(i) ? 0x20 : Int(block[i]) }
        return sum == recorded
    }
}

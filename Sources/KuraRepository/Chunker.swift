import KuraCrypto

/// FastCDC content-defined chunking: a 64-bit Gear rolling hash over a per-repository secret
/// gear table, with normalized chunking (a stricter mask before the average size, a looser one
/// after it) and cut-point skipping below the minimum size.
public final class Chunker {
    public let minSize: Int
    public let averageSize: Int
    public let maxSize: Int
    private let gear: UnsafeMutablePointer<UInt64>
    private let strictMask: UInt64
    private let looseMask: UInt64

    /// The gear table is 256 words drawn from `randombytes_buf_deterministic` seeded with the
    /// repository's secret gear seed, so chunk boundaries reveal nothing to anyone without the key.
    public init(parameters: RepositoryConfig.Chunker, gearSeed: [UInt8]) throws {
        guard parameters.minSize > 0, parameters.minSize <= parameters.averageSize,
              parameters.averageSize <= parameters.maxSize, parameters.averageSize.nonzeroBitCount == 1 else {
            throw RepositoryError(.invalidArgument, "chunker sizes must satisfy 0 < min <= average <= max, average a power of two")
        }
        minSize = parameters.minSize
        averageSize = parameters.averageSize
        maxSize = parameters.maxSize
        let bits = parameters.averageSize.trailingZeroBitCount
        // Masks on the high bits: in a Gear hash they depend on the last 64 bytes, the low bits on fewer.
        strictMask = ~UInt64(0) << UInt64(64 - min(63, bits + 2))
        looseMask = ~UInt64(0) << UInt64(64 - max(1, bits - 2))
        let table = try RandomBytes.deterministic(256 * 8, seed: gearSeed)
        gear = .allocate(capacity: 256)
        table.withUnsafeBytes { raw in
            for i in 0..<256 { gear[i] = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
        }
    }

    deinit { gear.deallocate() }

    /// The length of the next chunk at the start of `data`. `data` must hold at least `maxSize`
    /// bytes unless it is the end of the stream.
    @inline(__always)
    public func cut(_ data: UnsafeRawBufferPointer) -> Int {
        var scan = Scan()
        return cut(data, atEnd: true, scan: &scan)!
    }

    /// Where the scan for a cut point stands while a chunk's bytes are still arriving.
    public struct Scan {
        var position = 0
        var hash: UInt64 = 0
        public init() {}
    }

    /// The length of the chunk at the start of `data` if it is decided yet: the same cut as
    /// `cut(_:)` on the whole stream, found while the bytes arrive, so a reader can fill a chunk's
    /// own buffer and never copy it out of a shared one. `data` is what has arrived so far (the
    /// same start every call, only ever longer); `atEnd` says no more will. nil: read more and
    /// call again with the same `scan`. 0 only for an empty `data` at the end.
    @inline(__always)
    public func cut(_ data: UnsafeRawBufferPointer, atEnd: Bool, scan: inout Scan) -> Int? {
        let n = min(data.count, maxSize)
        if n <= minSize { return atEnd || n == maxSize ? n : nil }
        let bytes = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var hash = scan.hash
        var i = max(scan.position, minSize)
        let normal = min(averageSize, n)
        if let cut = firstCut(bytes, from: &i, to: normal, hash: &hash, mask: strictMask) { return cut }
        if let cut = firstCut(bytes, from: &i, to: n, hash: &hash, mask: looseMask) { return cut }
        if atEnd || n == maxSize { return n }
        scan.position = i
        scan.hash = hash
        return nil
    }

    /// The first cut in `bytes[i..<end]`, or nil with `i` at `end` and `hash` rolled over the bytes.
    /// Two bytes a step: the hash two bytes on is `(hash << 2) + (gear[a] << 1) + gear[b]`, whose
    /// second term does not wait for `hash`, so the dependent chain is one shift and one add per two
    /// bytes instead of per byte (about 1.7× the bytes per second here); the hash after the first
    /// byte is still tested, so the cuts are exactly those of rolling one byte at a time.
    @inline(__always)
    private func firstCut(_ bytes: UnsafePointer<UInt8>, from i: inout Int, to end: Int, hash: inout UInt64, mask: UInt64) -> Int? {
        let gear = self.gear
        var h = hash
        var j = i
        // Wrapping arithmetic: j never exceeds end, and an overflow check per byte costs as much as the hash.
        while j &+ 1 < end {
            let first = gear[Int(bytes[j])]
            let pair = (first &<< 1) &+ gear[Int(bytes[j &+ 1])]
            let afterFirst = (h &<< 1) &+ first
            h = (h &<< 2) &+ pair
            if afterFirst & mask == 0 { return j &+ 1 }
            if h & mask == 0 { return j &+ 2 }
            j &+= 2
        }
        if j < end {
            h = (h &<< 1) &+ gear[Int(bytes[j])]
            if h & mask == 0 { return j &+ 1 }
            j &+= 1
        }
        i = j
        hash = h
        return nil
    }
}

/// Reads a byte stream through a fixed buffer and hands out content-defined chunks, so memory
/// stays bounded however long the stream is.
public struct ChunkStream {
    private let chunker: Chunker
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEnd = false

    /// The buffer size for streams of unknown length.
    public static func bufferSize(for chunker: Chunker) -> Int { max(chunker.maxSize * 2, 8 << 20) }

    /// `expectedSize`: a stream known to be shorter than the largest chunk gets a buffer just big enough.
    public init(chunker: Chunker, expectedSize: Int? = nil) {
        self.chunker = chunker
        var capacity = Self.bufferSize(for: chunker)
        if let expectedSize, expectedSize < chunker.maxSize { capacity = max(expectedSize + 4096, 64 << 10) }
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    public func deallocate() { buffer.deallocate() }

    /// The next chunk, copied out, or nil at the end of the stream. `read` fills the buffer it is
    /// given and returns 0 at the end.
    public mutating func next(read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> [UInt8]? {
        try nextView(read: read).map { [UInt8]($0) }
    }

    /// The next chunk as a view into the stream's buffer, valid until the next call; nil at the end.
    public mutating func nextView(read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> UnsafeRawBufferPointer? {
        if end - start < chunker.maxSize && !atEnd {
            if start > 0 {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
                end -= start
                start = 0
            }
            while end < buffer.count {
                let n = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
                if n == 0 { atEnd = true; break }
                end += n
            }
        }
        guard end > start else { return nil }
        let length = chunker.cut(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + length)])
        start += length
        return chunk
    }
}

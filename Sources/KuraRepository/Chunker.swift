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
        let gear = self.gear
        let strict = strictMask, loose = looseMask
        var hash = scan.hash
        var i = max(scan.position, minSize)
        let normal = min(averageSize, n)
        // Wrapping increments: i never exceeds n, and an overflow check per byte costs as much as the hash.
        while i < normal {
            hash = (hash &<< 1) &+ gear[Int(bytes[i])]
            if hash & strict == 0 { return i &+ 1 }
            i &+= 1
        }
        while i < n {
            hash = (hash &<< 1) &+ gear[Int(bytes[i])]
            if hash & loose == 0 { return i &+ 1 }
            i &+= 1
        }
        if atEnd || n == maxSize { return n }
        scan.position = i
        scan.hash = hash
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

/// A zstd compressor or decompressor with a reusable context. Not thread-safe: give each
/// thread its own.
public final class ZstdCompressor {
    private let context: OpaquePointer
    public let level: Int32

    public static var version: String { ZstdCalls.version }
    public static var levels: ClosedRange<Int32> { ZstdCalls.levels }

    /// The largest compressed size of `size` input bytes (`ZSTD_compressBound`).
    public static func bound(_ size: Int) -> Int { ZstdCalls.compressBound(size) }

    public init(level: Int32 = 3) throws {
        guard let context = ZstdCalls.createCompressionContext() else {
            throw CompressionError(function: "ZSTD_createCCtx", code: 0, message: "could not allocate a zstd context")
        }
        self.context = context
        self.level = level
    }

    deinit { ZstdCalls.freeCompressionContext(context) }

    /// Compresses `input` into `output` and returns the compressed size (`ZSTD_compressCCtx`).
    public func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> Int {
        let rc = ZstdCalls.compress(context, into: output, from: input, level: level)
        guard !ZstdCalls.isError(rc) else {
            throw CompressionError(function: "ZSTD_compressCCtx", code: rc, message: ZstdCalls.errorName(rc))
        }
        return rc
    }

    public func compress(_ input: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.bound(input.count))
        let n = try input.withUnsafeBytes { i in try out.withUnsafeMutableBytes { try compress(i, into: $0) } }
        out.removeSubrange(n...)
        return out
    }
}

public final class ZstdDecompressor {
    private let context: OpaquePointer

    public init() throws {
        guard let context = ZstdCalls.createDecompressionContext() else {
            throw CompressionError(function: "ZSTD_createDCtx", code: 0, message: "could not allocate a zstd context")
        }
        self.context = context
    }

    deinit { ZstdCalls.freeDecompressionContext(context) }

    /// Decompresses `input` into `output`, which must be exactly the original size (`ZSTD_decompressDCtx`).
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let rc = ZstdCalls.decompress(context, into: output, from: input)
        guard !ZstdCalls.isError(rc) else {
            throw CompressionError(function: "ZSTD_decompressDCtx", code: rc, message: ZstdCalls.errorName(rc))
        }
        guard rc == output.count else {
            throw CompressionError(function: "ZSTD_decompressDCtx", code: rc,
                                   message: "decompressed \(rc) bytes, expected \(output.count)")
        }
    }

    /// Decompresses one frame that holds exactly `originalSize` bytes. The size comes from a record an attacker
    /// may have written, so it is checked against the size the frame's header records and against what the
    /// frame's blocks can hold at most before anything is allocated (kura writes the size into every frame).
    public func decompress(_ input: [UInt8], originalSize: Int) throws -> [UInt8] {
        let (recorded, bound) = input.withUnsafeBytes { (ZstdCalls.frameContentSize($0), ZstdFrame.contentBound($0)) }
        guard originalSize >= 0, let recorded, recorded == UInt64(originalSize), let bound, bound >= recorded else {
            throw CompressionError(function: "ZSTD_getFrameContentSize", code: 0,
                                   message: "the frame does not hold \(originalSize) bytes (its header says \(recorded.map(String.init) ?? "nothing"), "
                                       + "its blocks hold at most \(bound.map(String.init) ?? "nothing"))")
        }
        // Not zero-filled first: decompress either writes every byte or throws.
        return try [UInt8](unsafeUninitializedCapacity: originalSize) { out, written in
            try input.withUnsafeBytes { try decompress($0, into: UnsafeMutableRawBufferPointer(out)) }
            written = originalSize
        }
    }
}

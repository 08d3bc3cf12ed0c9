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

    public func decompress(_ input: [UInt8], originalSize: Int) throws -> [UInt8] {
        // Not zero-filled first: decompress either writes every byte or throws.
        try [UInt8](unsafeUninitializedCapacity: originalSize) { out, written in
            try input.withUnsafeBytes { try decompress($0, into: UnsafeMutableRawBufferPointer(out)) }
            written = originalSize
        }
    }
}

import CZstd

/// Every libzstd call KuraCompression makes passes through here.
enum ZstdCalls {
    /// `ZSTD_createCCtx`
    static func createCompressionContext() -> OpaquePointer? { ZSTD_createCCtx() }
    /// `ZSTD_freeCCtx`
    static func freeCompressionContext(_ context: OpaquePointer) { ZSTD_freeCCtx(context) }
    /// `ZSTD_createDCtx`
    static func createDecompressionContext() -> OpaquePointer? { ZSTD_createDCtx() }
    /// `ZSTD_freeDCtx`
    static func freeDecompressionContext(_ context: OpaquePointer) { ZSTD_freeDCtx(context) }
    /// `ZSTD_compressBound`
    static func compressBound(_ size: Int) -> Int { ZSTD_compressBound(size) }

    /// `ZSTD_compressCCtx`
    static func compress(_ context: OpaquePointer, into output: UnsafeMutableRawBufferPointer,
                         from input: UnsafeRawBufferPointer, level: Int32) -> Int {
        ZSTD_compressCCtx(context, output.baseAddress, output.count, input.baseAddress, input.count, level)
    }

    /// `ZSTD_decompressDCtx`
    static func decompress(_ context: OpaquePointer, into output: UnsafeMutableRawBufferPointer,
                           from input: UnsafeRawBufferPointer) -> Int {
        ZSTD_decompressDCtx(context, output.baseAddress, output.count, input.baseAddress, input.count)
    }

    /// `ZSTD_getFrameContentSize`: the size the first frame's header records, nil when it records none or is no frame.
    static func frameContentSize(_ input: UnsafeRawBufferPointer) -> UInt64? {
        let size = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        return size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ? nil : UInt64(size)
    }

    /// `ZSTD_isError`
    static func isError(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }
    /// `ZSTD_getErrorName`
    static func errorName(_ code: Int) -> String { String(cString: ZSTD_getErrorName(code)) }
    /// `ZSTD_minCLevel` / `ZSTD_maxCLevel`
    static var levels: ClosedRange<Int32> { ZSTD_minCLevel()...ZSTD_maxCLevel() }
    /// `ZSTD_versionString`
    static var version: String { String(cString: ZSTD_versionString()) }
}

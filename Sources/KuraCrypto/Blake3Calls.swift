import CBlake3

/// Every call KuraCrypto makes into CBlake3 (kura's keyed BLAKE3) passes through here. Callers hand over
/// a 32-byte key and a 32-byte output, checked by `Blake3`.
enum Blake3Calls {
    /// `kura_blake3_keyed_hash`: the keyed hash at the fastest level this CPU runs.
    static func keyedHash(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        kura_blake3_keyed_hash(key.baseAddress!.assumingMemoryBound(to: UInt8.self), message.baseAddress, message.count,
                               output.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `kura_blake3_keyed_hash_at_level`: false (and nothing written) when this CPU cannot run `level`.
    static func keyedHash(level: Blake3.Level, key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
                          output: UnsafeMutableRawBufferPointer) -> Bool {
        kura_blake3_keyed_hash_at_level(cLevel(level), key.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                        message.baseAddress, message.count,
                                        output.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
    }

    /// `kura_blake3_level_supported`
    static func isSupported(_ level: Blake3.Level) -> Bool {
        kura_blake3_level_supported(cLevel(level)) == 1
    }

    /// `kura_blake3_best_level`
    static var bestLevel: Blake3.Level {
        switch kura_blake3_best_level() {
        case KURA_BLAKE3_AVX512: .avx512
        case KURA_BLAKE3_AVX2: .avx2
        case KURA_BLAKE3_SSE41: .sse41
        default: .portable
        }
    }

    private static func cLevel(_ level: Blake3.Level) -> kura_blake3_level {
        switch level {
        case .portable: KURA_BLAKE3_PORTABLE
        case .sse41: KURA_BLAKE3_SSE41
        case .avx2: KURA_BLAKE3_AVX2
        case .avx512: KURA_BLAKE3_AVX512
        }
    }
}

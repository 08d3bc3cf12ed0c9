/// Keyed BLAKE3 (the specification's `keyed_hash` mode: 32-byte key, 32-byte output) through CBlake3,
/// kura's own implementation, verified against the official test vectors at every level.
public enum Blake3 {
    public static let keyBytes = 32
    public static let outputBytes = 32

    /// How many chunks (1 KiB each) one step hashes side by side: 1, 4 (SSE4.1), 8 (AVX2) or 16 (AVX-512F).
    public enum Level: String, CaseIterable, Sendable {
        case portable
        case sse41
        case avx2
        case avx512
    }

    /// The level `keyedHash` uses on this CPU (`kura_blake3_best_level`).
    public static var bestLevel: Level { Blake3Calls.bestLevel }

    /// Whether this CPU can run `level` (`kura_blake3_level_supported`).
    public static func isSupported(_ level: Level) -> Bool { Blake3Calls.isSupported(level) }

    /// Writes the 32-byte keyed hash of `message` into `output` without allocating (`kura_blake3_keyed_hash`).
    public static func keyedHash(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
                                 into output: UnsafeMutableRawBufferPointer) {
        precondition(key.count == keyBytes && output.count == outputBytes, "keyed BLAKE3 takes a 32-byte key and output")
        Blake3Calls.keyedHash(key: key, message: message, output: output)
    }

    /// The 32-byte keyed hash of `message` (`kura_blake3_keyed_hash`).
    public static func keyedHash(key: [UInt8], message: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: outputBytes)
        key.withUnsafeBytes { k in out.withUnsafeMutableBytes { keyedHash(key: k, message: message, into: $0) } }
        return out
    }

    public static func keyedHash(key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { keyedHash(key: key, message: $0) }
    }

    /// The keyed hash computed at `level` (`kura_blake3_keyed_hash_at_level`), or nil when this CPU cannot
    /// run it: for tests and benchmarks; kura itself uses `keyedHash(key:message:)`.
    public static func keyedHash(key: [UInt8], message: [UInt8], level: Level) -> [UInt8]? {
        precondition(key.count == keyBytes, "keyed BLAKE3 takes a 32-byte key")
        var out = [UInt8](repeating: 0, count: outputBytes)
        let ran = key.withUnsafeBytes { k in message.withUnsafeBytes { m in out.withUnsafeMutableBytes { o in
            Blake3Calls.keyedHash(level: level, key: k, message: m, output: o) } } }
        return ran ? out : nil
    }
}

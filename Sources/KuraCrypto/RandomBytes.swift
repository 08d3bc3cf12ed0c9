/// Random and seeded-deterministic bytes.
public enum RandomBytes {
    /// `count` bytes from the system CSPRNG (`randombytes_buf`).
    public static func generate(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { SodiumCalls.randomBytes($0) }
        return bytes
    }

    /// Fills `buffer` from the system CSPRNG (`randombytes_buf`).
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        SodiumCalls.randomBytes(buffer)
    }

    /// `count` bytes that depend only on the 32-byte `seed` (`randombytes_buf_deterministic`).
    public static func deterministic(_ count: Int, seed: [UInt8]) throws -> [UInt8] {
        try SodiumCalls.ensureInitialized()
        guard seed.count == 32 else {
            throw CryptoError(.invalidLength, function: "randombytes_buf_deterministic",
                              message: "seed must be 32 bytes, got \(seed.count)")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { out in seed.withUnsafeBufferPointer { SodiumCalls.deterministicBytes(out, seed: $0.baseAddress!) } }
        return bytes
    }
}

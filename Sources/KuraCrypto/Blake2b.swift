/// BLAKE2b through libsodium's `crypto_generichash`.
public enum Blake2b {
    public static let keyBytes = 32

    /// The 32-byte BLAKE2b digest of `input`, keyed when `key` is given (`crypto_generichash`).
    public static func hash256(_ input: UnsafeRawBufferPointer, key: [UInt8] = []) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let rc = out.withUnsafeMutableBytes { o in key.withUnsafeBytes { k in SodiumCalls.genericHash(output: o, input: input, key: k) } }
        precondition(rc == 0, "crypto_generichash failed with valid lengths")
        return out
    }

    public static func hash256(_ input: [UInt8], key: [UInt8] = []) -> [UInt8] {
        input.withUnsafeBytes { hash256($0, key: key) }
    }

    /// Writes the 32-byte digest of `input` into `output` without allocating (`crypto_generichash`).
    public static func hash256(_ input: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count == 32)
        let rc = SodiumCalls.genericHash(output: output, input: input, key: key)
        precondition(rc == 0, "crypto_generichash failed with valid lengths")
    }
}

/// Incremental BLAKE2b-256 for data that arrives in pieces
/// (`crypto_generichash_init`, `_update`, `_final`).
public struct Blake2bHasher {
    private var state: [UInt8]

    public init(key: [UInt8] = []) {
        state = [UInt8](repeating: 0, count: SodiumCalls.genericHashStateBytes + 64)
        let rc = state.withUnsafeMutableBytes { s in key.withUnsafeBytes { k in
            SodiumCalls.genericHashInit(state: Self.aligned(s), key: k, outputLength: 32) } }
        precondition(rc == 0)
    }

    /// libsodium wants the state 64-byte aligned; the array is over-allocated to allow it.
    private static func aligned(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutableRawPointer {
        let address = Int(bitPattern: buffer.baseAddress!)
        return UnsafeMutableRawPointer(bitPattern: (address + 63) & ~63)!
    }

    public mutating func update(_ input: UnsafeRawBufferPointer) {
        let rc = state.withUnsafeMutableBytes { SodiumCalls.genericHashUpdate(state: Self.aligned($0), input: input) }
        precondition(rc == 0)
    }

    public mutating func update(_ input: [UInt8]) { input.withUnsafeBytes { update($0) } }

    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let rc = state.withUnsafeMutableBytes { s in out.withUnsafeMutableBytes { SodiumCalls.genericHashFinal(state: Self.aligned(s), output: $0) } }
        precondition(rc == 0)
        return out
    }
}

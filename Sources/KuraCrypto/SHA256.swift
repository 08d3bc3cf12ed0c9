/// SHA-256 and HMAC-SHA-256 through libsodium, for protocols that name them (S3's Signature Version 4).
/// kura's own hashing is BLAKE2b (`Blake2b`).
public enum SHA256 {
    public static let digestBytes = 32

    /// The 32-byte SHA-256 digest of `input` (`crypto_hash_sha256`).
    public static func hash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestBytes)
        let rc = out.withUnsafeMutableBytes { SodiumCalls.sha256(output: $0, input: input) }
        precondition(rc == 0, "crypto_hash_sha256 failed")
        return out
    }

    public static func hash(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { hash($0) }
    }

    /// HMAC-SHA-256 of `message` under `key` of any length (`crypto_auth_hmacsha256_*`).
    public static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: digestBytes)
        let rc = out.withUnsafeMutableBytes { o in
            key.withUnsafeBytes { k in message.withUnsafeBytes { m in SodiumCalls.hmacSHA256(output: o, message: m, key: k) } }
        }
        precondition(rc == 0, "crypto_auth_hmacsha256 failed")
        return out
    }
}

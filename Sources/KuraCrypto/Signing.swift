/// Ed25519 signatures (`crypto_sign_*`).
public enum Signing {
    public static let publicKeyBytes = SodiumCalls.signPublicKeyBytes
    public static let secretKeyBytes = SodiumCalls.signSecretKeyBytes
    public static let signatureBytes = SodiumCalls.signatureBytes

    /// A new Ed25519 key pair (`crypto_sign_keypair`).
    public static func generateKeyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        var pk = [UInt8](repeating: 0, count: publicKeyBytes)
        var sk = [UInt8](repeating: 0, count: secretKeyBytes)
        let rc = pk.withUnsafeMutableBytes { p in sk.withUnsafeMutableBytes { SodiumCalls.signKeyPair(publicKey: p, secretKey: $0) } }
        precondition(rc == 0)
        return (pk, sk)
    }

    /// A detached signature of `message` (`crypto_sign_detached`).
    public static func sign(_ message: [UInt8], secretKey: [UInt8]) throws -> [UInt8] {
        try SodiumCalls.ensureInitialized()
        guard secretKey.count == secretKeyBytes else {
            throw CryptoError(.invalidLength, function: "crypto_sign_detached", message: "secret key must be \(secretKeyBytes) bytes")
        }
        var sig = [UInt8](repeating: 0, count: signatureBytes)
        let rc = sig.withUnsafeMutableBytes { s in message.withUnsafeBytes { m in secretKey.withUnsafeBytes {
            SodiumCalls.signDetached(signature: s, message: m, secretKey: $0) } } }
        guard rc == 0 else { throw CryptoError(.invalidLength, function: "crypto_sign_detached", returnValue: rc, message: "signing failed") }
        return sig
    }

    /// Whether `signature` is `publicKey`'s signature of `message` (`crypto_sign_verify_detached`).
    public static func verify(_ signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureBytes, publicKey.count == publicKeyBytes else { return false }
        return signature.withUnsafeBytes { s in message.withUnsafeBytes { m in publicKey.withUnsafeBytes {
            SodiumCalls.verifyDetached(signature: s, message: m, publicKey: $0) == 0 } } }
    }
}

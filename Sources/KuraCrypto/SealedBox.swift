/// X25519 key pairs and anonymous sealed boxes (`crypto_box_seal`): anyone with the public key
/// can seal; only the secret key opens.
public enum SealedBox {
    public static let publicKeyBytes = SodiumCalls.boxPublicKeyBytes
    public static let secretKeyBytes = SodiumCalls.boxSecretKeyBytes
    public static let overheadBytes = SodiumCalls.sealOverheadBytes

    /// A new X25519 key pair (`crypto_box_keypair`).
    public static func generateKeyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        var pk = [UInt8](repeating: 0, count: publicKeyBytes)
        var sk = [UInt8](repeating: 0, count: secretKeyBytes)
        let rc = pk.withUnsafeMutableBytes { p in sk.withUnsafeMutableBytes { SodiumCalls.boxKeyPair(publicKey: p, secretKey: $0) } }
        precondition(rc == 0)
        return (pk, sk)
    }

    /// Seals `message` to `publicKey` (`crypto_box_seal`).
    public static func seal(_ message: [UInt8], to publicKey: [UInt8]) throws -> [UInt8] {
        try SodiumCalls.ensureInitialized()
        guard publicKey.count == publicKeyBytes else {
            throw CryptoError(.invalidLength, function: "crypto_box_seal", message: "public key must be \(publicKeyBytes) bytes")
        }
        var out = [UInt8](repeating: 0, count: message.count + overheadBytes)
        let rc = out.withUnsafeMutableBytes { o in message.withUnsafeBytes { m in publicKey.withUnsafeBytes {
            SodiumCalls.boxSeal(output: o, message: m, publicKey: $0) } } }
        guard rc == 0 else { throw CryptoError(.invalidLength, function: "crypto_box_seal", returnValue: rc, message: "sealing failed") }
        return out
    }

    /// Opens a sealed box (`crypto_box_seal_open`); throws `.authenticationFailed` for another key or altered bytes.
    public static func open(_ sealed: UnsafeRawBufferPointer, publicKey: [UInt8], secretKey: [UInt8]) throws -> [UInt8] {
        try SodiumCalls.ensureInitialized()
        guard sealed.count >= overheadBytes, publicKey.count == publicKeyBytes, secretKey.count == secretKeyBytes else {
            throw CryptoError(.invalidLength, function: "crypto_box_seal_open", message: "sealed box or key has the wrong length")
        }
        var out = [UInt8](repeating: 0, count: sealed.count - overheadBytes)
        let rc = out.withUnsafeMutableBytes { o in publicKey.withUnsafeBytes { p in secretKey.withUnsafeBytes {
            SodiumCalls.boxSealOpen(output: o, sealed: sealed, publicKey: p, secretKey: $0) } } }
        guard rc == 0 else {
            throw CryptoError(.authenticationFailed, function: "crypto_box_seal_open", returnValue: rc,
                              message: "sealed box does not open: wrong key or damaged data")
        }
        return out
    }

    public static func open(_ sealed: [UInt8], publicKey: [UInt8], secretKey: [UInt8]) throws -> [UInt8] {
        try sealed.withUnsafeBytes { try open($0, publicKey: publicKey, secretKey: secretKey) }
    }
}

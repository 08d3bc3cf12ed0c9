import KuraCrypto

/// A custodian's Ed25519 key pair with the secret half sealed under their passphrase:
/// Argon2id (`PasswordKey`) derives a key that XChaCha20-Poly1305 seals the secret key with,
/// bound to the custodian's name and public key as associated data.
public struct SealedSigningKey: Equatable, Sendable {
    public var publicKey: String
    /// `nonce || ciphertext`, hex.
    public var sealedSecretKey: String
    public var kdfSalt: String
    public var kdfOpsLimit: Int64
    public var kdfMemLimit: Int64

    /// A new key pair for `name`, sealed under `passphrase`; also returns the secret key to sign the enrolment
    /// with, which the caller wipes (`SecureMemory.wipe`) once signed. The derived key is wiped here.
    public static func create(for name: String, passphrase: String,
                              kdf: PasswordKey = PasswordKey()) throws -> (key: SealedSigningKey, secretKey: [UInt8]) {
        let pair = Signing.generateKeyPair()
        let publicKey = Hex.encode(pair.publicKey)
        var derived = try kdf.derive(password: passphrase)
        defer { SecureMemory.wipe(&derived) }
        let sealed = try AEAD.seal(pair.secretKey, key: derived, associatedData: associatedData(name: name, publicKey: publicKey))
        let key = SealedSigningKey(publicKey: publicKey, sealedSecretKey: Hex.encode(sealed), kdfSalt: Hex.encode(kdf.salt),
                                   kdfOpsLimit: Int64(kdf.opsLimit), kdfMemLimit: Int64(kdf.memLimit))
        return (key, pair.secretKey)
    }

    init(publicKey: String, sealedSecretKey: String, kdfSalt: String, kdfOpsLimit: Int64, kdfMemLimit: Int64) {
        self.publicKey = publicKey
        self.sealedSecretKey = sealedSecretKey
        self.kdfSalt = kdfSalt
        self.kdfOpsLimit = kdfOpsLimit
        self.kdfMemLimit = kdfMemLimit
    }

    init(_ custodian: CustodianRecord) {
        self.init(publicKey: custodian.publicKey, sealedSecretKey: custodian.sealedSecretKey, kdfSalt: custodian.kdfSalt,
                  kdfOpsLimit: custodian.kdfOpsLimit, kdfMemLimit: custodian.kdfMemLimit)
    }

    /// The secret key, which the caller wipes once done; throws `.wrongPassword` when the passphrase does not
    /// open it. The derived key is wiped here, and so is an opened key that does not match.
    public func open(for name: String, passphrase: String) throws -> [UInt8] {
        guard let salt = Hex.decode(kdfSalt), let sealed = Hex.decode(sealedSecretKey),
              kdfOpsLimit > 0, kdfMemLimit > 0 else {
            throw CatalogError(.storage, "custodian \(name): sealed signing key is malformed")
        }
        let kdf = PasswordKey(salt: salt, opsLimit: UInt64(kdfOpsLimit), memLimit: Int(kdfMemLimit))
        var derived = try kdf.derive(password: passphrase)
        defer { SecureMemory.wipe(&derived) }
        do {
            var secretKey = try AEAD.open(sealed, key: derived, associatedData: Self.associatedData(name: name, publicKey: publicKey))
            guard secretKey.count == Signing.secretKeyBytes, Hex.encode(secretKey[32...]) == publicKey else {
                SecureMemory.wipe(&secretKey)
                throw CatalogError(.storage, "custodian \(name): sealed signing key does not match the public key")
            }
            return secretKey
        } catch let error as CryptoError where error.isAuthenticationFailure {
            throw CatalogError(.wrongPassword, "wrong passphrase for custodian \(name)")
        }
    }

    private static func associatedData(name: String, publicKey: String) -> [UInt8] {
        Array("kura-custodian-key-v1\u{0}\(name)\u{0}\(publicKey)".utf8)
    }
}

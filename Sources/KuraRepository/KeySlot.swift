import Foundation
import KuraCrypto

/// `REPO/keys/ID`: a `MasterKey` encrypted under a key derived from a passphrase with Argon2id.
public struct KeySlot: Codable, Sendable {
    public struct KDF: Codable, Sendable {
        public var algorithm = "argon2id13"
        public var salt: String
        public var opsLimit: UInt64
        public var memLimit: Int

        enum CodingKeys: String, CodingKey { case algorithm, salt, opsLimit = "opslimit", memLimit = "memlimit" }
    }

    public var version = 1
    public var kind: MasterKey.Kind
    public var created: Date
    public var hostname: String
    public var username: String
    public var kdf: KDF
    /// Hex of `nonce(24) || XChaCha20-Poly1305(derived key, JSON of MasterKey)`, associated data: the repository id.
    public var data: String

    /// Encrypts `key` under `password` with fresh Argon2id parameters. The derived key and the JSON of
    /// the master key are wiped once sealed (see `SecureMemory` for what that cannot reach).
    public static func seal(_ key: MasterKey, password: String) throws -> KeySlot {
        let params = PasswordKey()
        var derived = try params.derive(password: password)
        defer { SecureMemory.wipe(&derived) }
        var json = try JSONEncoder().encode(key)
        defer { json.withUnsafeMutableBytes { SecureMemory.wipe($0) } }
        var plaintext = Array(json)
        defer { SecureMemory.wipe(&plaintext) }
        let box = try AEAD.seal(plaintext, key: derived, associatedData: key.repository.bytes)
        return KeySlot(kind: key.kind, created: Date(), hostname: Posix.hostname,
                       username: Posix.userName(Posix.effectiveUserID) ?? "uid \(Posix.effectiveUserID)",
                       kdf: KDF(salt: Hex.encode(params.salt), opsLimit: params.opsLimit, memLimit: params.memLimit),
                       data: Hex.encode(box))
    }

    /// The master key inside, or nil when `password` does not open this slot. The derived key and the
    /// decrypted JSON are wiped before returning.
    public func open(password: String, repository: BlobID) throws -> MasterKey? {
        guard let salt = Hex.decode(kdf.salt), let box = Hex.decode(data) else {
            throw RepositoryError(.damaged, "key slot is not valid hex")
        }
        var derived = try PasswordKey(salt: salt, opsLimit: kdf.opsLimit, memLimit: kdf.memLimit).derive(password: password)
        defer { SecureMemory.wipe(&derived) }
        do {
            var plaintext = try AEAD.open(box, key: derived, associatedData: repository.bytes)
            defer { SecureMemory.wipe(&plaintext) }
            var json = Data(plaintext)
            defer { json.withUnsafeMutableBytes { SecureMemory.wipe($0) } }
            return try JSONDecoder().decode(MasterKey.self, from: json)
        } catch let error as CryptoError where error.isAuthenticationFailure {
            return nil
        }
    }
}

import Foundation
import KuraCrypto
import KuraSystem

/// `REPO/keys/ID`: a `MasterKey` encrypted under a key derived from a passphrase with Argon2id.
public struct KeySlot: Codable, Sendable {
    public struct KDF: Codable, Sendable {
        public var algorithm = "argon2id13"
        public var salt: String
        public var opsLimit: UInt64
        public var memLimit: Int

        enum CodingKeys: String, CodingKey { case algorithm, salt, opsLimit = "opslimit", memLimit = "memlimit" }

        /// The Argon2id limits kura derives with: up to libsodium's "sensitive" limits (kura writes 4 passes over
        /// 32 MiB). A slot is read from a repository or a medium, which anyone may have written: a slot asking
        /// for more would make every password try hang or exhaust memory.
        public static let opsLimits: ClosedRange<UInt64> = 1...16
        public static let memLimits: ClosedRange<Int> = 8192...(1 << 30)

        /// Why these limits are not ones kura derives with, or nil.
        public var limitsProblem: String? {
            Self.opsLimits.contains(opsLimit) && Self.memLimits.contains(memLimit) ? nil
                : "its Argon2id limits (\(opsLimit) passes over \(memLimit) bytes) are outside what kura uses "
                    + "(\(Self.opsLimits.lowerBound)–\(Self.opsLimits.upperBound) passes, at most \(Self.memLimits.upperBound >> 20) MiB)"
        }
    }

    public var version = 1
    public var kind: MasterKey.Kind
    public var created: Date
    public var hostname: String
    public var username: String
    public var kdf: KDF
    /// Hex of `nonce(24) || XChaCha20-Poly1305(derived key, JSON of MasterKey)`, associated data: the repository id.
    public var data: String
    /// Hex BLAKE2b-256 of the `config` file this slot was written beside, so a changed byte in config is told
    /// apart from a wrong password. Absent in slots written before kura recorded it.
    public var config: String?
    /// Hex BLAKE2b-256 of `checksumText`, so a changed byte anywhere that matters in this slot is found without
    /// a password (`check`), not mistaken for a wrong password. Absent in older slots.
    public var checksum: String?

    /// What `checksum` covers: every field that opening the slot or checking config uses, one per line. Host and
    /// user names are left out: a medium's label blanks them.
    var checksumText: String {
        "kura key slot\n\(version)\n\(kind.rawValue)\n\(kdf.algorithm)\n\(kdf.salt)\n\(kdf.opsLimit)\n\(kdf.memLimit)\n\(data)\n\(config ?? "")\n"
    }

    /// Why this slot is damaged, or nil when its checksum (if it has one) and its hex fields check out.
    public var damage: String? {
        if let checksum, checksum != Hex.encode(Blake2b.hash256(Array(checksumText.utf8))) {
            return "its contents do not match the checksum it carries"
        }
        if Hex.decode(kdf.salt) == nil || Hex.decode(data) == nil { return "it is not valid hex" }
        return kdf.limitsProblem
    }

    /// Encrypts `key` under `password` with fresh Argon2id parameters. The derived key and the JSON of
    /// the master key are wiped once sealed (see `SecureMemory` for what that cannot reach).
    public static func seal(_ key: MasterKey, password: String, config: String? = nil) throws -> KeySlot {
        let params = PasswordKey()
        var derived = try params.derive(password: password)
        defer { SecureMemory.wipe(&derived) }
        var json = try JSONEncoder().encode(key)
        defer { json.withUnsafeMutableBytes { SecureMemory.wipe($0) } }
        var plaintext = Array(json)
        defer { SecureMemory.wipe(&plaintext) }
        let box = try AEAD.seal(plaintext, key: derived, associatedData: key.repository.bytes)
        var slot = KeySlot(kind: key.kind, created: Date(), hostname: Posix.hostname,
                           username: Posix.userName(Posix.effectiveUserID) ?? "uid \(Posix.effectiveUserID)",
                           kdf: KDF(salt: Hex.encode(params.salt), opsLimit: params.opsLimit, memLimit: params.memLimit),
                           data: Hex.encode(box), config: config)
        slot.checksum = Hex.encode(Blake2b.hash256(Array(slot.checksumText.utf8)))
        return slot
    }

    /// The master key inside, or nil when `password` does not open this slot. The derived key and the
    /// decrypted JSON are wiped before returning.
    public func open(password: String, repository: BlobID) throws -> MasterKey? {
        guard let salt = Hex.decode(kdf.salt), let box = Hex.decode(data) else {
            throw RepositoryError(.damaged, "key slot is not valid hex")
        }
        if let problem = kdf.limitsProblem { throw RepositoryError(.damaged, "key slot is damaged or forged: \(problem)") }
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

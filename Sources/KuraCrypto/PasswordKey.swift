/// Argon2id key derivation (`crypto_pwhash`, algorithm `crypto_pwhash_ALG_ARGON2ID13`).
public struct PasswordKey: Codable, Sendable, Equatable {
    public static let saltBytes = SodiumCalls.pwhashSaltBytes
    /// libsodium's "interactive" limits: 64 MiB, 2 passes.
    public static let interactive = (opsLimit: SodiumCalls.pwhashOpsLimitInteractive, memLimit: SodiumCalls.pwhashMemLimitInteractive)
    /// libsodium's "moderate" limits: 256 MiB, 3 passes.
    public static let moderate = (opsLimit: SodiumCalls.pwhashOpsLimitModerate, memLimit: SodiumCalls.pwhashMemLimitModerate)
    /// What kura writes into new key slots and signing keys: 32 MiB, 4 passes. The same memory × passes
    /// area as "interactive" (so the same cost to an attacker's hardware and about the same time here),
    /// with half the peak memory: the derivation ran before every command and set kura's RSS floor.
    public static let kuraDefault = (opsLimit: UInt64(4), memLimit: 32 * 1_048_576)

    public var salt: [UInt8]
    public var opsLimit: UInt64
    public var memLimit: Int

    /// New parameters with a random salt.
    public init(opsLimit: UInt64 = PasswordKey.kuraDefault.opsLimit, memLimit: Int = PasswordKey.kuraDefault.memLimit) {
        self.salt = RandomBytes.generate(Self.saltBytes)
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    public init(salt: [UInt8], opsLimit: UInt64, memLimit: Int) {
        self.salt = salt
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// Derives a 32-byte key from `password` (`crypto_pwhash`). The caller owns the result and wipes it
    /// (`SecureMemory.wipe`) once it has sealed or opened what it protects. The password is read in place
    /// (a native Swift string's own UTF-8), so no copy of it is made here; the `String` itself cannot be wiped.
    public func derive(password: String, length: Int = 32) throws -> [UInt8] {
        try SodiumCalls.ensureInitialized()
        guard salt.count == Self.saltBytes else {
            throw CryptoError(.invalidLength, function: "crypto_pwhash", message: "salt must be \(Self.saltBytes) bytes")
        }
        var out = [UInt8](repeating: 0, count: length)
        let length = password.utf8.count
        let rc = out.withUnsafeMutableBytes { o in password.withCString { p in salt.withUnsafeBytes {
            SodiumCalls.passwordHash(output: o, password: p, passwordLength: length, salt: $0, opsLimit: opsLimit, memLimit: memLimit) } } }
        guard rc == 0 else {
            throw CryptoError(.outOfMemory, function: "crypto_pwhash", returnValue: rc,
                              message: "Argon2id could not allocate \(memLimit / 1_048_576) MiB")
        }
        return out
    }
}

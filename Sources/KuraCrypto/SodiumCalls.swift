import CSodium

/// Every libsodium call KuraCrypto makes passes through here. Callers hand over buffers whose
/// sizes they have already checked against the constants below.
enum SodiumCalls {
    /// `sodium_init`, run once before the first call below: it makes the random generator thread-safe
    /// and picks the CPU's fastest BLAKE2b, ChaCha20, Poly1305 and Argon2 code (AVX2 here: 1.3× and 3×).
    static let initialized: Bool = sodium_init() >= 0

    /// Throws when `sodium_init` failed. The public entry points that can throw (`Sodium.initialize`, which
    /// the CLI calls before anything else, and every seal, open, sign and key derivation) start with it.
    static func ensureInitialized() throws {
        guard initialized else {
            throw CryptoError(.initializationFailed, function: "sodium_init", message: "libsodium could not be initialized")
        }
    }

    /// Every call below starts here, so none runs on an uninitialized libsodium. Those behind APIs that
    /// cannot throw (hashing, random bytes, key pairs) stop the process instead; the CLI runs
    /// `Sodium.initialize` before any of them, so a user sees the error and exit 1, not this trap.
    @inline(__always)
    /// `sodium_version_string`
    static var version: String { String(cString: sodium_version_string()) }

    static func requireInitialized() {
        precondition(initialized, "sodium_init failed: libsodium cannot be used")
    }

    /// `randombytes_buf`
    static func randomBytes(_ buffer: UnsafeMutableRawBufferPointer) {
        requireInitialized()
        randombytes_buf(buffer.baseAddress!, buffer.count)
    }

    /// `randombytes_buf_deterministic`
    static func deterministicBytes(_ buffer: UnsafeMutableRawBufferPointer, seed: UnsafePointer<UInt8>) {
        requireInitialized()
        randombytes_buf_deterministic(buffer.baseAddress!, buffer.count, seed)
    }

    static let genericHashStateBytes = crypto_generichash_statebytes()

    /// `crypto_generichash` (BLAKE2b), keyed when `key` is non-empty.
    static func genericHash(output: UnsafeMutableRawBufferPointer, input: UnsafeRawBufferPointer,
                            key: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_generichash(output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count,
                           input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
                           key.baseAddress?.assumingMemoryBound(to: UInt8.self), key.count)
    }

    /// `crypto_generichash_init`
    static func genericHashInit(state: UnsafeMutableRawPointer, key: UnsafeRawBufferPointer, outputLength: Int) -> Int32 {
        requireInitialized()
        return crypto_generichash_init(OpaquePointer(state),
                                key.baseAddress?.assumingMemoryBound(to: UInt8.self), key.count, outputLength)
    }

    /// `crypto_generichash_update`
    static func genericHashUpdate(state: UnsafeMutableRawPointer, input: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_generichash_update(OpaquePointer(state),
                                  input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count))
    }

    /// `crypto_generichash_final`
    static func genericHashFinal(state: UnsafeMutableRawPointer, output: UnsafeMutableRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_generichash_final(OpaquePointer(state),
                                 output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count)
    }

    /// `crypto_aead_xchacha20poly1305_ietf_encrypt`; `output` holds `input.count + aeadTagBytes`.
    static func aeadEncrypt(output: UnsafeMutableRawBufferPointer, input: UnsafeRawBufferPointer,
                            associatedData: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            key: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        var written: UInt64 = 0
        return crypto_aead_xchacha20poly1305_ietf_encrypt(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
            input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
            associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(associatedData.count),
            nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_aead_xchacha20poly1305_ietf_decrypt`; `output` holds `input.count - aeadTagBytes`.
    static func aeadDecrypt(output: UnsafeMutableRawBufferPointer, input: UnsafeRawBufferPointer,
                            associatedData: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            key: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        var written: UInt64 = 0
        return crypto_aead_xchacha20poly1305_ietf_decrypt(
            output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
            input.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
            associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(associatedData.count),
            nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    static let aeadKeyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    static let aeadNonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let aeadTagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    static let boxPublicKeyBytes = Int(crypto_box_PUBLICKEYBYTES)
    static let boxSecretKeyBytes = Int(crypto_box_SECRETKEYBYTES)
    static let sealOverheadBytes = Int(crypto_box_sealbytes())

    /// `crypto_box_keypair`
    static func boxKeyPair(publicKey: UnsafeMutableRawBufferPointer, secretKey: UnsafeMutableRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_box_keypair(publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
                           secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_box_seal`
    static func boxSeal(output: UnsafeMutableRawBufferPointer, message: UnsafeRawBufferPointer,
                        publicKey: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_box_seal(output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                        publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_box_seal_open`
    static func boxSealOpen(output: UnsafeMutableRawBufferPointer, sealed: UnsafeRawBufferPointer,
                            publicKey: UnsafeRawBufferPointer, secretKey: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_box_seal_open(output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                             sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(sealed.count),
                             publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
                             secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    static let pwhashSaltBytes = Int(crypto_pwhash_SALTBYTES)
    static let pwhashArgon2id = crypto_pwhash_ALG_ARGON2ID13
    static let pwhashOpsLimitInteractive = UInt64(crypto_pwhash_OPSLIMIT_INTERACTIVE)
    static let pwhashMemLimitInteractive = Int(crypto_pwhash_MEMLIMIT_INTERACTIVE)
    static let pwhashOpsLimitModerate = UInt64(crypto_pwhash_OPSLIMIT_MODERATE)
    static let pwhashMemLimitModerate = Int(crypto_pwhash_MEMLIMIT_MODERATE)

    /// `crypto_pwhash` with Argon2id 1.3.
    static func passwordHash(output: UnsafeMutableRawBufferPointer, password: UnsafePointer<CChar>, passwordLength: Int,
                             salt: UnsafeRawBufferPointer, opsLimit: UInt64, memLimit: Int) -> Int32 {
        requireInitialized()
        return crypto_pwhash(output.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(output.count),
                      password, UInt64(passwordLength),
                      salt.baseAddress!.assumingMemoryBound(to: UInt8.self), opsLimit, memLimit,
                      Int32(pwhashArgon2id))
    }

    static let signPublicKeyBytes = Int(crypto_sign_PUBLICKEYBYTES)
    static let signSecretKeyBytes = Int(crypto_sign_SECRETKEYBYTES)
    static let signatureBytes = Int(crypto_sign_BYTES)

    /// `crypto_sign_keypair` (Ed25519)
    static func signKeyPair(publicKey: UnsafeMutableRawBufferPointer, secretKey: UnsafeMutableRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_sign_keypair(publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_sign_detached`
    static func signDetached(signature: UnsafeMutableRawBufferPointer, message: UnsafeRawBufferPointer,
                             secretKey: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_sign_detached(signature.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
                             message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                             secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_sign_verify_detached`
    static func verifyDetached(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
                               publicKey: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_sign_verify_detached(signature.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                    message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                                    publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `sodium_memcmp`: constant-time comparison.
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        requireInitialized()
        return a.count == b.count && sodium_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }

    /// `sodium_memzero`: zeroes `buffer` in a way the compiler may not remove as a dead store.
    static func memzero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// `crypto_hash_sha256`; `output` holds 32 bytes.
    static func sha256(output: UnsafeMutableRawBufferPointer, input: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        return crypto_hash_sha256(output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                  input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count))
    }

    /// HMAC-SHA-256 with a key of any length (`crypto_auth_hmacsha256_init`, `_update`, `_final`:
    /// the one-shot `crypto_auth_hmacsha256` takes only 32-byte keys); `output` holds 32 bytes.
    static func hmacSHA256(output: UnsafeMutableRawBufferPointer, message: UnsafeRawBufferPointer,
                           key: UnsafeRawBufferPointer) -> Int32 {
        requireInitialized()
        var state = crypto_auth_hmacsha256_state()
        defer { withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress!, $0.count) } }
        var none: UInt8 = 0
        let initialized = withUnsafePointer(to: &none) { empty in
            crypto_auth_hmacsha256_init(&state, key.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty, key.count)
        }
        guard initialized == 0,
              crypto_auth_hmacsha256_update(&state, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            UInt64(message.count)) == 0 else { return -1 }
        return crypto_auth_hmacsha256_final(&state, output.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }
}

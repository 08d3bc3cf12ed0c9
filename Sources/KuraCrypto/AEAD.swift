/// XChaCha20-Poly1305 (IETF) authenticated encryption.
public enum AEAD {
    public static let keyBytes = SodiumCalls.aeadKeyBytes
    public static let nonceBytes = SodiumCalls.aeadNonceBytes
    public static let tagBytes = SodiumCalls.aeadTagBytes

    /// A fresh random key.
    public static func generateKey() -> [UInt8] { RandomBytes.generate(keyBytes) }

    /// Encrypts `plaintext` into `output` (which must hold `plaintext.count + tagBytes`)
    /// with `crypto_aead_xchacha20poly1305_ietf_encrypt`.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            associatedData: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        try SodiumCalls.ensureInitialized()
        guard key.count == keyBytes, nonce.count == nonceBytes, output.count == plaintext.count + tagBytes else {
            throw CryptoError(.invalidLength, function: "crypto_aead_xchacha20poly1305_ietf_encrypt",
                              message: "key, nonce or output has the wrong length")
        }
        let rc = SodiumCalls.aeadEncrypt(output: output, input: plaintext, associatedData: associatedData, nonce: nonce, key: key)
        guard rc == 0 else {
            throw CryptoError(.invalidLength, function: "crypto_aead_xchacha20poly1305_ietf_encrypt", returnValue: rc,
                              message: "encryption failed")
        }
    }

    /// Decrypts `ciphertext` into `output` (which must hold `ciphertext.count - tagBytes`)
    /// with `crypto_aead_xchacha20poly1305_ietf_decrypt`; throws `.authenticationFailed` on a wrong key or altered data.
    public static func open(_ ciphertext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer,
                            associatedData: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        try SodiumCalls.ensureInitialized()
        guard key.count == keyBytes, nonce.count == nonceBytes, ciphertext.count >= tagBytes,
              output.count == ciphertext.count - tagBytes else {
            throw CryptoError(.invalidLength, function: "crypto_aead_xchacha20poly1305_ietf_decrypt",
                              message: "key, nonce or ciphertext has the wrong length")
        }
        let rc = SodiumCalls.aeadDecrypt(output: output, input: ciphertext, associatedData: associatedData, nonce: nonce, key: key)
        guard rc == 0 else {
            throw CryptoError(.authenticationFailed, function: "crypto_aead_xchacha20poly1305_ietf_decrypt", returnValue: rc,
                              message: "authentication failed: wrong key or damaged data")
        }
    }

    /// Seals in place: `box` holds `nonceBytes` of room, the plaintext, then `tagBytes` of room, and
    /// afterwards `nonce || ciphertext || tag` under a fresh random nonce (libsodium lets the
    /// ciphertext overwrite the message it encrypts).
    public static func sealInPlace(_ box: UnsafeMutableRawBufferPointer, key: UnsafeRawBufferPointer,
                                   associatedData: UnsafeRawBufferPointer) throws {
        guard box.count >= nonceBytes + tagBytes else {
            throw CryptoError(.invalidLength, function: "crypto_aead_xchacha20poly1305_ietf_encrypt",
                              message: "box has no room for nonce and tag")
        }
        let nonce = UnsafeMutableRawBufferPointer(rebasing: box[..<nonceBytes])
        RandomBytes.fill(nonce)
        let message = UnsafeRawBufferPointer(rebasing: box[nonceBytes..<(box.count - tagBytes)])
        try seal(message, key: key, nonce: UnsafeRawBufferPointer(nonce), associatedData: associatedData,
                 into: UnsafeMutableRawBufferPointer(rebasing: box[nonceBytes...]))
    }

    /// Convenience: random nonce, returns `nonce || ciphertext`.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        let nonce = RandomBytes.generate(nonceBytes)
        var out = [UInt8](repeating: 0, count: nonceBytes + plaintext.count + tagBytes)
        try out.withUnsafeMutableBytes { o in
            nonce.withUnsafeBytes { o.copyMemory(from: $0) }
            try plaintext.withUnsafeBytes { p in try key.withUnsafeBytes { k in try nonce.withUnsafeBytes { n in
                try associatedData.withUnsafeBytes { ad in
                    try seal(p, key: k, nonce: n, associatedData: ad, into: UnsafeMutableRawBufferPointer(rebasing: o[nonceBytes...]))
                } } } }
        }
        return out
    }

    /// Convenience: opens `nonce || ciphertext` as produced by `seal(_:key:associatedData:)`.
    public static func open(_ box: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws -> [UInt8] {
        guard box.count >= nonceBytes + tagBytes else {
            throw CryptoError(.invalidLength, function: "crypto_aead_xchacha20poly1305_ietf_decrypt",
                              message: "ciphertext is truncated (\(box.count) bytes)")
        }
        // Not zero-filled first: a successful open writes every byte, a failed one discards the buffer.
        return try [UInt8](unsafeUninitializedCapacity: box.count - nonceBytes - tagBytes) { out, written in
            try box.withUnsafeBytes { b in try key.withUnsafeBytes { k in try associatedData.withUnsafeBytes { ad in
                try open(UnsafeRawBufferPointer(rebasing: b[nonceBytes...]), key: k,
                         nonce: UnsafeRawBufferPointer(rebasing: b[..<nonceBytes]), associatedData: ad,
                         into: UnsafeMutableRawBufferPointer(out))
            } } }
            written = out.count
        }
    }
}

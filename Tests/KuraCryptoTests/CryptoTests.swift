import Testing
@testable import KuraCrypto

@Suite struct AEADTests {
    @Test func roundTripsAndRejectsTampering() throws {
        let key = AEAD.generateKey()
        let message = Array("customer 12345: 山田太郎".utf8)
        var box = try AEAD.seal(message, key: key, associatedData: [1, 2, 3])
        #expect(try AEAD.open(box, key: key, associatedData: [1, 2, 3]) == message)
        #expect(throws: CryptoError.self) { try AEAD.open(box, key: key, associatedData: [1, 2, 4]) }
        #expect(throws: CryptoError.self) { try AEAD.open(box, key: AEAD.generateKey(), associatedData: [1, 2, 3]) }
        box[box.count / 2] ^= 0x01
        let error = #expect(throws: CryptoError.self) { try AEAD.open(box, key: key, associatedData: [1, 2, 3]) }
        #expect(error?.code == .authenticationFailed)
    }
}

@Suite struct SealedBoxTests {
    @Test func onlyTheSecretKeyOpens() throws {
        let pair = SealedBox.generateKeyPair()
        let other = SealedBox.generateKeyPair()
        let sealed = try SealedBox.seal([9, 8, 7], to: pair.publicKey)
        #expect(sealed.count == 3 + SealedBox.overheadBytes)
        #expect(try SealedBox.open(sealed, publicKey: pair.publicKey, secretKey: pair.secretKey) == [9, 8, 7])
        #expect(throws: CryptoError.self) { try SealedBox.open(sealed, publicKey: other.publicKey, secretKey: other.secretKey) }
    }
}

@Suite struct HashTests {
    @Test func blake2bMatchesKnownVectorAndKeyChangesDigest() {
        // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte output).
        #expect(Hex.encode(Blake2b.hash256([])) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        let key = RandomBytes.generate(32)
        #expect(Blake2b.hash256([1, 2, 3], key: key) != Blake2b.hash256([1, 2, 3]))
        var hasher = Blake2bHasher()
        hasher.update([1, 2])
        hasher.update([3])
        #expect(hasher.finalize() == Blake2b.hash256([1, 2, 3]))
    }

    @Test func deterministicBytesDependOnSeed() throws {
        let seed = RandomBytes.generate(32)
        #expect(try RandomBytes.deterministic(64, seed: seed) == RandomBytes.deterministic(64, seed: seed))
        #expect(try RandomBytes.deterministic(64, seed: seed) != RandomBytes.deterministic(64, seed: RandomBytes.generate(32)))
    }
}

@Suite struct PasswordAndSigningTests {
    @Test func argon2idIsRepeatableAndSaltSensitive() throws {
        let params = PasswordKey()
        #expect(try params.derive(password: "pw") == params.derive(password: "pw"))
        #expect(try params.derive(password: "pw") != params.derive(password: "pW"))
        #expect(try params.derive(password: "pw") != PasswordKey().derive(password: "pw"))
    }

    @Test func ed25519SignsAndVerifies() throws {
        let pair = Signing.generateKeyPair()
        let sig = try Signing.sign([1, 2, 3], secretKey: pair.secretKey)
        #expect(Signing.verify(sig, of: [1, 2, 3], publicKey: pair.publicKey))
        #expect(!Signing.verify(sig, of: [1, 2, 4], publicKey: pair.publicKey))
        #expect(!Signing.verify(sig, of: [1, 2, 3], publicKey: Signing.generateKeyPair().publicKey))
    }

    @Test func hexRoundTrips() {
        #expect(Hex.decode(Hex.encode([0, 1, 254, 255])) == [0, 1, 254, 255])
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("abc") == nil)
    }
}

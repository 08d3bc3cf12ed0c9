import KuraCrypto

/// The repository secret a key slot protects. A write-only key lacks the X25519 secret key, so
/// it can seal new packs and snapshots but never open one.
public struct MasterKey: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case full
        case writeOnly = "write-only"
    }

    public var repository: BlobID
    public var publicKey: [UInt8]
    public var secretKey: [UInt8]?
    /// Keys the BLAKE2b-256 that names chunks.
    public var hashKey: [UInt8]
    /// Encrypts index files (XChaCha20-Poly1305).
    public var indexKey: [UInt8]
    /// Seeds the chunker's gear table.
    public var gearSeed: [UInt8]

    public var kind: Kind { secretKey == nil ? .writeOnly : .full }

    enum CodingKeys: String, CodingKey {
        case repository, publicKey = "public_key", secretKey = "secret_key", hashKey = "hash_key",
             indexKey = "index_key", gearSeed = "gear_seed"
    }

    public static func generate(repository: BlobID) -> MasterKey {
        let pair = SealedBox.generateKeyPair()
        return MasterKey(repository: repository, publicKey: pair.publicKey, secretKey: pair.secretKey,
                         hashKey: RandomBytes.generate(32), indexKey: RandomBytes.generate(32),
                         gearSeed: RandomBytes.generate(32))
    }

    /// The same key without the X25519 secret half.
    public var writeOnly: MasterKey {
        var copy = self
        copy.secretKey = nil
        return copy
    }

    func requireSecretKey() throws -> [UInt8] {
        guard let secretKey else { throw RepositoryError.writeOnly }
        return secretKey
    }

    /// The keyed BLAKE2b-256 that names a chunk or tree blob.
    package func blobID(of plaintext: UnsafeRawBufferPointer) -> BlobID {
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &out) { o in
            hashKey.withUnsafeBytes { k in Blake2b.hash256(plaintext, key: k, into: o) }
        }
        return BlobID(w0: out.0, w1: out.1, w2: out.2, w3: out.3)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(repository, forKey: .repository)
        try c.encode(Hex.encode(publicKey), forKey: .publicKey)
        try c.encodeIfPresent(secretKey.map { Hex.encode($0) }, forKey: .secretKey)
        try c.encode(Hex.encode(hashKey), forKey: .hashKey)
        try c.encode(Hex.encode(indexKey), forKey: .indexKey)
        try c.encode(Hex.encode(gearSeed), forKey: .gearSeed)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func bytes(_ key: CodingKeys) throws -> [UInt8] {
            guard let b = Hex.decode(try c.decode(String.self, forKey: key)) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not hex")
            }
            return b
        }
        repository = try c.decode(BlobID.self, forKey: .repository)
        publicKey = try bytes(.publicKey)
        secretKey = c.contains(.secretKey) ? try bytes(.secretKey) : nil
        hashKey = try bytes(.hashKey)
        indexKey = try bytes(.indexKey)
        gearSeed = try bytes(.gearSeed)
    }

    init(repository: BlobID, publicKey: [UInt8], secretKey: [UInt8]?, hashKey: [UInt8], indexKey: [UInt8], gearSeed: [UInt8]) {
        self.repository = repository
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.hashKey = hashKey
        self.indexKey = indexKey
        self.gearSeed = gearSeed
    }
}

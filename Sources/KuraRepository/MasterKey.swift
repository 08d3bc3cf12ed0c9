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
    /// Keys the function that names chunks and trees (`chunkID`).
    public var hashKey: [UInt8]
    /// Encrypts index files (XChaCha20-Poly1305).
    public var indexKey: [UInt8]
    /// Seeds the chunker's gear table.
    public var gearSeed: [UInt8]

    public var kind: Kind { secretKey == nil ? .writeOnly : .full }

    /// The function `blobID(of:)` computes. Not part of a key slot: config names it, and the repository (or a
    /// medium's set) sets it with `using(_:)` when it opens.
    public private(set) var chunkID: ChunkIDFunction = .unnamed
    /// The key of `keyed-blake3-256`; empty for other functions.
    private var blake3Key: [UInt8] = []

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

    /// This key computing ids with `function`.
    public func using(_ function: ChunkIDFunction) -> MasterKey {
        var copy = self
        copy.chunkID = function
        copy.blake3Key = function == .keyedBlake3_256 ? Self.blake3Key(hashKey: hashKey) : []
        return copy
    }

    /// The key of keyed BLAKE3 ids: the keyed BLAKE2b-256, under the hash key, of the ASCII string
    /// "kura chunk id keyed-blake3-256" (the hash key itself keys only BLAKE2b).
    static func blake3Key(hashKey: [UInt8]) -> [UInt8] {
        Blake2b.hash256(Array("kura chunk id keyed-blake3-256".utf8), key: hashKey)
    }

    /// The id of a chunk or tree blob: the repository's keyed function (`chunkID`) of its plaintext.
    package func blobID(of plaintext: UnsafeRawBufferPointer) -> BlobID {
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &out) { o in
            switch chunkID {
            case .keyedBlake2b256: hashKey.withUnsafeBytes { k in Blake2b.hash256(plaintext, key: k, into: o) }
            case .keyedBlake3_256: blake3Key.withUnsafeBytes { k in Blake3.keyedHash(key: k, message: plaintext, into: o) }
            }
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

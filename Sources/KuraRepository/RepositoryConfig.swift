/// `REPO/config`: plain JSON, readable without a key.
public struct RepositoryConfig: Codable, Sendable, Equatable {
    public struct Chunker: Codable, Sendable, Equatable {
        public var algorithm = "fastcdc-gear64"
        public var minSize: Int
        public var averageSize: Int
        public var maxSize: Int

        enum CodingKeys: String, CodingKey {
            case algorithm, minSize = "min_size", averageSize = "average_size", maxSize = "max_size"
        }

        public init(minSize: Int, averageSize: Int, maxSize: Int) {
            self.minSize = minSize
            self.averageSize = averageSize
            self.maxSize = maxSize
        }

        /// New repositories' sizes, chosen on bench/'s two databases (README "Repository size on a second
        /// database"): a 512 KiB average stores 16–31 % less each day after the first than 1 MiB did, for
        /// twice the index entries; repositories made with 1 MiB keep it.
        public static let `default` = Chunker(minSize: 256 << 10, averageSize: 512 << 10, maxSize: 2 << 20)
    }

    public struct Compression: Codable, Sendable, Equatable {
        public var algorithm = "zstd"
        public var level: Int32
    }

    public static let currentVersion = 1

    public var version: Int
    public var id: BlobID
    public var chunker: Chunker
    public var compression: Compression
    /// A pack is closed once it holds at least this many bytes (it never exceeds 64 MiB).
    public var packSize: Int
    /// The name of the function that computes chunk and tree ids (`ChunkIDFunction`); nil in configs written
    /// before the field existed, which means `keyed-blake2b-256` (such a config is never rewritten).
    public var chunkID: String?

    enum CodingKeys: String, CodingKey {
        case version, id, chunker, compression, packSize = "pack_size", chunkID = "chunk_id"
    }

    public init(id: BlobID, chunker: Chunker = .default, compressionLevel: Int32 = 3, packSize: Int = 16 << 20,
                chunkID: ChunkIDFunction = .newRepositoryDefault) {
        self.version = Self.currentVersion
        self.id = id
        self.chunker = chunker
        self.compression = Compression(level: compressionLevel)
        self.packSize = packSize
        self.chunkID = chunkID.rawValue
    }
}

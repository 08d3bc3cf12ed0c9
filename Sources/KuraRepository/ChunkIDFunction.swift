import KuraCrypto

/// The keyed pseudo-random function that names chunks and tree blobs under the repository's hash key,
/// named in config (`chunk_id`). Object file names (packs, index files, snapshots) are not chunk ids:
/// they stay the unkeyed BLAKE2b-256 of the file.
public enum ChunkIDFunction: String, CaseIterable, Sendable {
    /// libsodium's keyed BLAKE2b-256 (`crypto_generichash`) under the hash key: the only function before
    /// config named one, so a config without `chunk_id` means it. Readable forever.
    case keyedBlake2b256 = "keyed-blake2b-256"
    /// Keyed BLAKE3 (`keyed_hash` mode, 32-byte output; CBlake3) under `MasterKey.blake3Key(hashKey:)`.
    case keyedBlake3_256 = "keyed-blake3-256"

    /// What a config without `chunk_id` means.
    public static let unnamed = keyedBlake2b256

    /// What `kura init` picks unless told otherwise: on this project's machines keyed BLAKE3 hashes 2–3.7× as fast
    /// as keyed BLAKE2b with AVX2, and its SSE4.1 level alone (a CPU without AVX2) still about 2× BLAKE2b's best
    /// (bench/results/2026-12-01-keyed-id.md).
    public static let newRepositoryDefault = keyedBlake3_256

    /// The function config names (`nil`: the field is absent). Throws naming it when this kura does not know it:
    /// ids computed with another function would match nothing, so nothing is guessed.
    public static func named(_ name: String?, in location: String) throws -> ChunkIDFunction {
        guard let name else { return unnamed }
        guard let function = ChunkIDFunction(rawValue: name) else {
            throw RepositoryError(.damaged, "\(location)/config names chunk id function '\(name)', which this kura does not know "
                + "(it knows \(allCases.map(\.rawValue).joined(separator: ", "))); use a kura that does")
        }
        return function
    }
}

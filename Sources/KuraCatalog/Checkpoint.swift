import Foundation
import KuraCrypto

/// The head of the audit log at a moment, kept outside the catalog so that deleting the newest events shows:
///
///     kura-catalog-checkpoint-v1
///     events: 42
///     head: <hash of event 42>
///     time: 2025-04-01T09:30:00Z
///     state: <BLAKE2b-256 of the catalog's state at event 42> (signed checkpoints the catalog stores)
///     signer: alice                  (these three lines only when signed)
///     public-key: <alice's Ed25519 public key>
///     signature: <Ed25519 signature of the canonical bytes>
///
/// The canonical bytes are the lines above `signature:`, each ending in LF.
public struct Checkpoint: Codable, Equatable, Sendable {
    public static let header = "kura-catalog-checkpoint-v1"

    public var events: Int64
    public var head: String
    public var time: String
    /// The hash of the catalog's state at `events` (`CatalogStateSnapshot`), when the catalog stored the checkpoint
    /// with that state, so that `audit verify` can start from it.
    public var state: String?
    public var signer: String?
    public var publicKey: String?
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case events, head, time, state, signer, signature
        case publicKey = "public_key"
    }

    public init(events: Int64, head: String, time: String) {
        self.events = events
        self.head = head
        self.time = time
    }

    var canonicalBytes: [UInt8] {
        var lines = [Self.header, "events: \(events)", "head: \(head)", "time: \(time)"]
        if let state { lines.append("state: \(state)") }
        if let signer { lines.append("signer: \(signer)") }
        if let publicKey { lines.append("public-key: \(publicKey)") }
        return Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    public var text: String {
        String(decoding: canonicalBytes, as: UTF8.self) + (signature.map { "signature: \($0)\n" } ?? "")
    }

    mutating func sign(as signer: String, publicKey: String, secretKey: [UInt8]) throws {
        self.signer = signer
        self.publicKey = publicKey
        signature = Hex.encode(try Signing.sign(canonicalBytes, secretKey: secretKey))
    }

    /// Whether the signature is the named public key's; true for an unsigned checkpoint.
    var signatureIsValid: Bool {
        guard let signature else { return signer == nil && publicKey == nil }
        guard let publicKey, let key = Hex.decode(publicKey), let bytes = Hex.decode(signature) else { return false }
        return Signing.verify(bytes, of: canonicalBytes, publicKey: key)
    }

    /// Parses the text form above, or the JSON `kura audit checkpoint --json` prints.
    public init(parsing text: String) throws {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            do {
                self = try JSONDecoder().decode(Checkpoint.self, from: Data(text.utf8))
                return
            } catch {
                throw CatalogError(.invalid, "checkpoint is not valid JSON: \(error)")
            }
        }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.first == Self.header else {
            throw CatalogError(.invalid, "checkpoint does not start with '\(Self.header)'")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw CatalogError(.invalid, "checkpoint line '\(line)' has no ':'") }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let events = fields["events"].flatMap(Int64.init), let head = fields["head"], let time = fields["time"] else {
            throw CatalogError(.invalid, "checkpoint needs events, head and time lines")
        }
        guard CatalogTime.parse(time) != nil else { throw CatalogError(.invalid, "checkpoint time '\(time)' is not a valid ISO 8601 time") }
        self.init(events: events, head: head, time: time)
        state = fields["state"]
        signer = fields["signer"]
        publicKey = fields["public-key"]
        signature = fields["signature"]
    }
}

extension Catalog {
    /// A checkpoint of the log as it is now, signed by `signer` when one is given.
    ///
    /// A signed checkpoint vouches for the log, so the whole log is verified first (`verify(full: true)`) and a
    /// catalog that fails is refused; the checkpoint then carries the hash of the catalog's state at its event, and
    /// is stored in the catalog with that state, so that a later `verify` starts from it instead of from event 1.
    public func checkpoint(signedAs signer: String? = nil, passphrase: () throws -> String = { "" }) throws -> Checkpoint {
        guard let signer else {
            let state = try storage { try database.read { try Self.current(.custodians, $0) } }
            return Checkpoint(events: state.eventCount, head: state.headHash, time: CatalogTime.format(now))
        }
        let (report, state, digests) = try storage {
            try database.read { db in
                let (report, state) = try verification(from: nil, against: nil, in: db)
                return (report, state, try HistoryDigest.digests(upTo: state.eventCount, in: db))
            }
        }
        if let problem = report.problems.first {
            throw CatalogError(.verificationFailed, "the catalog does not verify (\(problem)); a checkpoint is signed only "
                + "over a log that does: run `kura audit verify --full`")
        }
        try state.requireActiveSigner(signer)
        let custodian = state.custodians[signer]!
        let snapshot = try CatalogStateSnapshot(state, historyDigests: digests).encoded()
        var checkpoint = Checkpoint(events: state.eventCount, head: state.headHash, time: CatalogTime.format(now))
        checkpoint.state = CatalogStateSnapshot.hash(snapshot)
        var secretKey = try SealedSigningKey(custodian).open(for: signer, passphrase: try passphrase())
        defer { SecureMemory.wipe(&secretKey) }
        try checkpoint.sign(as: signer, publicKey: custodian.publicKey, secretKey: secretKey)
        if checkpoint.events > 0 {
            try storage { try database.write { try StoredCheckpoint(checkpoint, state: snapshot).save($0) } }
        }
        return checkpoint
    }
}

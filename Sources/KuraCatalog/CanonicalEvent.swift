import KuraCrypto

/// The exact bytes an event's hash and signature cover (man/kura-catalog.5, "CANONICAL BYTES"):
///
///     kura-catalog-event-v1 LF
///     sequence SP <length> SP <value> LF
///     previous SP <length> SP <value> LF
///     time SP <length> SP <value> LF
///     kind SP <length> SP <value> LF
///     actor SP <length> SP <value> LF
///     subject SP <length> SP <value> LF
///     payload SP <length> SP <value> LF
///
/// where <length> is the value's length in UTF-8 bytes in decimal, so no value can spill into the next.
public enum CanonicalEvent {
    public static let header = "kura-catalog-event-v1"

    public static func bytes(sequence: Int64, previousHash: String, occurredAt: String, kind: String,
                             actor: String, subject: String, payload: String) -> [UInt8] {
        var out = Array((header + "\n").utf8)
        for (name, value) in [("sequence", String(sequence)), ("previous", previousHash), ("time", occurredAt),
                              ("kind", kind), ("actor", actor), ("subject", subject), ("payload", payload)] {
            let utf8 = Array(value.utf8)
            out += Array("\(name) \(utf8.count) ".utf8)
            out += utf8
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    public static func bytes(of event: EventRecord) -> [UInt8] {
        bytes(sequence: event.sequence, previousHash: event.previousHash, occurredAt: event.occurredAt, kind: event.kind,
              actor: event.actor, subject: event.subject, payload: event.payload)
    }

    /// BLAKE2b-256 of the canonical bytes, in hex.
    public static func hash(_ canonical: [UInt8]) -> String {
        Hex.encode(Blake2b.hash256(canonical))
    }
}

import KuraCatalog

/// One audit-log event, the same object in `audit log`, `media show` and what every signing command prints;
/// the payload as the JSON object that was signed (its keys in snake_case), not as an escaped string.
struct EventJSON: Encodable {
    var sequence: Int64
    var occurredAt: String
    var kind: String
    var actor: String
    var subject: String
    var payload: JSONValue
    var previousHash: String
    var hash: String
    var signature: String

    init(_ event: EventRecord) {
        sequence = event.sequence
        occurredAt = JSONTime.string(event.occurredAt)
        kind = event.kind
        actor = event.actor
        subject = event.subject
        payload = JSONValue(parsing: event.payload).snakeCased
        previousHash = event.previousHash
        hash = event.hash
        signature = event.signature
    }

    enum CodingKeys: String, CodingKey {
        case sequence, occurredAt = "occurred_at", kind, actor, subject, payload, previousHash = "previous_hash", hash, signature
    }
}

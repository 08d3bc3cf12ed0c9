import KuraCatalog

/// A medium as the catalog holds it now, the same object in `media list`, `media show` and what every
/// command that moves or signs for a medium prints. Unknown values are null, never a word like "none".
struct MediumJSON: Encodable {
    var record: MediumRecord

    init(_ record: MediumRecord) { self.record = record }

    enum CodingKeys: String, CodingKey {
        case serial, barcode, mediaType = "media_type", capacity, propertyNumber = "property_number", make, model, classification,
             state, priorState = "prior_state", location, destination, addedBy = "added_by", addedAt = "added_at",
             lastEvent = "last_event"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.serial, forKey: .serial)
        try c.encode(record.barcode, forKey: .barcode)
        try c.encode(record.mediaType, forKey: .mediaType)
        try c.encode(record.capacity, forKey: .capacity)
        try c.encode(record.propertyNumber, forKey: .propertyNumber)
        try c.encode(record.make, forKey: .make)
        try c.encode(record.model, forKey: .model)
        try c.encode(record.classification, forKey: .classification)
        try c.encode(record.state.rawValue, forKey: .state)
        try c.encode(record.priorState?.rawValue, forKey: .priorState)
        try c.encode(record.location, forKey: .location)
        try c.encode(record.destination, forKey: .destination)
        try c.encode(record.addedBy, forKey: .addedBy)
        try c.encode(JSONTime.string(record.addedAt), forKey: .addedAt)
        try c.encode(record.lastEvent, forKey: .lastEvent)
    }
}

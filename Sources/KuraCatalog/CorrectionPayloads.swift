/// Corrections are signed events, never edits: a withdrawn disposal and an amended medium keep their history.

/// Withdraws a disposal request, or its approval, before any sanitization is recorded.
public struct DisposalCancelled: EventPayload {
    public static let kind = "media.disposal-cancelled"
    public var serial: String
    /// The id of the disposal withdrawn (the sequence of its request event).
    public var disposal: Int64
    public var reason: String
    public var subject: String { serial }
    public init(serial: String, disposal: Int64, reason: String) {
        self.serial = serial
        self.disposal = disposal
        self.reason = reason
    }
}

/// A field of a medium's registration that `media.amended` may correct.
public enum MediumField: String, Codable, Sendable, CaseIterable {
    case mediaType
    case barcode
    case capacity
    case propertyNumber

    /// The column's name in table `media`.
    public var column: String {
        switch self {
        case .mediaType: return "media_type"
        case .barcode: return "barcode"
        case .capacity: return "capacity"
        case .propertyNumber: return "property_number"
        }
    }
}

/// One corrected field: its value before (as the log said it was) and after; nil is "not recorded".
public struct MediumFieldChange: Codable, Equatable, Sendable {
    public var field: MediumField
    public var old: String?
    public var new: String?
    public init(field: MediumField, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// Corrects a medium's registration (a typo in its barcode, the wrong type), recording old and new values.
public struct MediumAmended: EventPayload {
    public static let kind = "media.amended"
    public var serial: String
    public var changes: [MediumFieldChange]
    public var reason: String
    public var subject: String { serial }
    public init(serial: String, changes: [MediumFieldChange], reason: String) {
        self.serial = serial
        self.changes = changes
        self.reason = reason
    }
}

extension MediumRecord {
    public subscript(field: MediumField) -> String? {
        get {
            switch field {
            case .mediaType: return mediaType
            case .barcode: return barcode
            case .capacity: return capacity
            case .propertyNumber: return propertyNumber
            }
        }
        set {
            switch field {
            case .mediaType: mediaType = newValue ?? mediaType
            case .barcode: barcode = newValue
            case .capacity: capacity = newValue
            case .propertyNumber: propertyNumber = newValue
            }
        }
    }
}

import Foundation

/// Any JSON value, so that JSON kura stores as text (an event's payload) is printed as an object, not as an
/// escaped string.
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value `text` holds; text that is not JSON stays a string.
    init(parsing text: String) {
        self = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? c.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? c.decode(Double.self) {
            self = .number(value)
        } else if let value = try? c.decode(String.self) {
            self = .string(value)
        } else if let value = try? c.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Every time under a key that names one (`JSONTime.isTimeKey`) in `JSONTime`'s form, however it was stored.
    var withJSONTimes: JSONValue {
        switch self {
        case .array(let values): return .array(values.map(\.withJSONTimes))
        case .object(let values):
            return .object(values.reduce(into: [:]) { result, entry in
                if JSONTime.isTimeKey(entry.key), case .string(let text) = entry.value {
                    result[entry.key] = .string(JSONTime.string(text))
                } else {
                    result[entry.key] = entry.value.withJSONTimes
                }
            })
        default: return self
        }
    }

    /// The same value with every object key in snake_case (`repositoryID` becomes `repository_id`, `kdfOpsLimit`
    /// `kdf_ops_limit`): the catalog stores payloads with the Swift names it signs, JSON output uses one key style.
    var snakeCased: JSONValue {
        switch self {
        case .array(let values): return .array(values.map(\.snakeCased))
        case .object(let values):
            return .object(Dictionary(values.map { (Self.snakeCase($0.key), $0.value.snakeCased) }) { first, _ in first })
        default: return self
        }
    }

    static func snakeCase(_ key: String) -> String {
        // An acronym is one word: snapshotIDs is snapshot_ids, not snapshot_i_ds.
        let words = key.replacingOccurrences(of: "IDs", with: "Ids").replacingOccurrences(of: "ID", with: "Id")
        var result = ""
        var previous: Character?
        for character in words {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result.append("_") }
            result.append(contentsOf: character.lowercased())
            previous = character
        }
        return result
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let value): try c.encode(value)
        case .integer(let value): try c.encode(value)
        case .unsigned(let value): try c.encode(value)
        case .number(let value): try c.encode(value)
        case .string(let value): try c.encode(value)
        case .array(let value): try c.encode(value)
        case .object(let value): try c.encode(value)
        }
    }
}

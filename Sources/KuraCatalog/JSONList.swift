import Foundation
import GRDB

/// A list of strings stored in one TEXT column as a JSON array, the portable way to keep a short list.
public struct JSONList: Codable, Equatable, Sendable, DatabaseValueConvertible, ExpressibleByArrayLiteral {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }
    public init(arrayLiteral elements: String...) { values = elements }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public var databaseValue: DatabaseValue {
        let data = try! JSONEncoder().encode(values)
        return String(decoding: data, as: UTF8.self).databaseValue
    }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> JSONList? {
        guard let text = String.fromDatabaseValue(dbValue),
              let values = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return nil }
        return JSONList(values)
    }
}

import Foundation
import Testing
import KuraText

@Suite struct PrettyJSONArrayTests {
    struct Item: Encodable {
        var name: String
        var tags: [String]
        var nested: [String: Int]?
        var note: String?
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    static func streamed<T: Encodable>(_ values: [T]) throws -> Data {
        var out = Data()
        try PrettyJSONArray.write(values, encoder: encoder()) { out.append($0) }
        return out
    }

    @Test func equalsEncodingTheWholeArray() throws {
        let items = (0..<3000).map { n in
            Item(name: n % 2 == 0 ? "顧客台帳-\(n)" : "line\nbreak \"quoted\" /slash/ \(n)", tags: n % 3 == 0 ? [] : ["daily", "週次"],
                 nested: n % 4 == 0 ? nil : ["a": n, "b": -n], note: n % 5 == 0 ? nil : "tab\there")
        }
        for count in [0, 1, 2, 3000] {
            let values = Array(items.prefix(count))
            #expect(try Self.streamed(values) == Self.encoder().encode(values), "\(count) items")
        }
    }

    @Test func nestedArraysKeepTheirIndentation() throws {
        let values = [[["x": [1, 2]], ["y": []]], [], [["z": [3]]]]
        #expect(try Self.streamed(values) == Self.encoder().encode(values))
    }
}

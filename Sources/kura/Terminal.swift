import Foundation
import KuraSystem
import KuraText
import Synchronization

/// Where kura writes: results to stdout, warnings and progress to stderr.
enum Terminal {
    static var standardErrorIsTerminal: Bool { Posix.isTerminal(Posix.standardError) }
    static var standardInputIsTerminal: Bool { Posix.isTerminal(Posix.standardInput) }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("kura: \(message)\n".utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("kura: warning: \(message)\n".utf8))
    }

    /// Whether a JSON document went to stdout: a failure after it (an inventory with discrepancies) is then not
    /// reported as a second document.
    static let printedJSON = Atomic<Bool>(false)

    /// Writes a JSON value to stdout with sorted keys, one document per call; every time as `JSONTime` gives it.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JSONTime.string(date))
        }
        // Catalog records and payloads hold times as the catalog stored them; one pass gives every time one form.
        let document = try JSONDecoder().decode(JSONValue.self, from: try encoder.encode(value)).withJSONTimes
        FileHandle.standardOutput.write(try encoder.encode(document))
        FileHandle.standardOutput.write(Data("\n".utf8))
        printedJSON.store(true, ordering: .relaxed)
    }

    /// `printJSON` of an array whose times are already `JSONTime` strings (snapshots), written element by
    /// element: the same bytes without the whole document, and its parsed copy, in memory at once.
    static func printJSONArray<T: Encodable>(_ values: [T]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try PrettyJSONArray.write(values, encoder: encoder) { FileHandle.standardOutput.write($0) }
        FileHandle.standardOutput.write(Data("\n".utf8))
        printedJSON.store(true, ordering: .relaxed)
    }

    /// Asks for a secret on the controlling terminal without echo; nil without a terminal.
    static func readSecret(prompt: String) -> String? { Posix.readPassphrase(prompt: prompt) }

    /// "1.5 GiB"-style sizes for people.
    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

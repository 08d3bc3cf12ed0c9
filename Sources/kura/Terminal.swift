import Foundation
import KuraSystem

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

    /// Writes a JSON value to stdout with sorted keys, one document per call; dates as `JSONTime` gives them.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JSONTime.string(date))
        }
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
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

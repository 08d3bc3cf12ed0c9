import Foundation
import KuraCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Where kura writes: results to stdout, warnings and progress to stderr.
enum Terminal {
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("kura: \(message)\n".utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("kura: warning: \(message)\n".utf8))
    }

    /// Writes a JSON value to stdout with sorted keys, one document per call.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Asks for a secret on the controlling terminal without echo (`getpass(3)`); nil without a terminal.
    /// glibc keeps the answer in a buffer of its own until the next call; it is wiped once copied.
    static func readSecret(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 || FileManager.default.isReadableFile(atPath: "/dev/tty") && standardErrorIsTerminal,
              let raw = getpass(prompt) else { return nil }
        defer { SecureMemory.wipe(UnsafeMutableRawBufferPointer(start: raw, count: strlen(raw))) }
        return String(cString: raw)
    }

    /// "1.5 GiB"-style sizes for people.
    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// Sizes as people write them: 18TB, 12.5 TB, 256K, 1MiB, 4096.
enum ByteSize {
    /// Bytes, or nil when `text` is not a size. K/M/G/T with B are powers of 1000 (as media are sold),
    /// with iB or alone powers of 1024 (as block sizes are given).
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits), value >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Double
        switch unit {
        case "", "B": scale = 1
        case "K", "KIB": scale = 1024
        case "M", "MIB": scale = 1024 * 1024
        case "G", "GIB": scale = 1024 * 1024 * 1024
        case "T", "TIB": scale = 1024 * 1024 * 1024 * 1024
        case "KB": scale = 1e3
        case "MB": scale = 1e6
        case "GB": scale = 1e9
        case "TB": scale = 1e12
        default: return nil
        }
        return Int64(value * scale)
    }

    /// Whether `text` names its unit (18TB, 256K), rather than a bare number.
    static func hasUnit(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).last?.isLetter == true
    }
}

import Foundation

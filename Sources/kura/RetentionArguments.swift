import ArgumentParser
import KuraRepository

extension CalendarDuration: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// A `--keep-*` count: a number, or `unlimited` (restic's word) for every period.
struct KeepCount: ExpressibleByArgument {
    /// -1 for unlimited.
    let value: Int

    init?(argument: String) {
        if argument == "unlimited" {
            value = -1
        } else if let number = Int(argument), number >= 0 {
            value = number
        } else {
            return nil
        }
    }
}

/// `--max-unused`: a percentage (`5`, `5%`, `12.5%`) or `unlimited` (never repack).
struct UnusedLimit: ExpressibleByArgument {
    /// As a fraction, 0...1.
    let fraction: Double

    init?(argument: String) {
        if argument == "unlimited" {
            fraction = 1
            return
        }
        let number = argument.hasSuffix("%") ? String(argument.dropLast()) : argument
        guard let value = Double(number), value >= 0, value <= 100 else { return nil }
        fraction = value / 100
    }

    static let `default` = UnusedLimit(argument: "5%")!

    var defaultValueDescription: String { fraction == 1 ? "unlimited" : "\(fraction * 100)%" }
}

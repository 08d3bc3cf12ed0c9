import ArgumentParser
import Foundation
import Logging

/// A swift-log handler that writes each message as one line on stderr, for journald or syslog to collect:
/// `text` is `LEVEL EVENT key=value ...`, `json` one object per line (`time` UTC, `level`, `event`, then the metadata,
/// numbers as numbers).
struct LineLogHandler: LogHandler {
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    let format: Format
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(format: Format) { self.format = format }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = format == .json ? Self.json(event, fields) : Self.text(event, fields)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func text(_ event: LogEvent, _ fields: Logger.Metadata) -> String {
        ([event.level.rawValue, event.message.description] + fields.keys.sorted().map { key in
            let value = plain(fields[key]!)
            let quoted = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
            return key + "=" + (quoted ? quote(value) : value)
        }).joined(separator: " ")
    }

    static func json(_ event: LogEvent, _ fields: Logger.Metadata) -> String {
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        let head = [("time", quote(time)), ("level", quote(event.level.rawValue)), ("event", quote(event.message.description))]
        let rest = fields.keys.sorted().filter { !["time", "level", "event"].contains($0) }.map { ($0, json(fields[$0]!)) }
        return "{" + (head + rest).map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    private static func plain(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let s): return s.description
        case .array(let values): return values.map(plain).joined(separator: ",")
        case .dictionary(let values): return values.keys.sorted().map { "\($0):\(plain(values[$0]!))" }.joined(separator: ",")
        }
    }

    private static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .stringConvertible(let s):
            if s is any BinaryInteger || s is Double { return s.description }
            if let flag = s as? Bool { return flag ? "true" : "false" }
            return quote(s.description)
        case .array(let values): return "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let values): return "{" + values.keys.sorted().map { quote($0) + ":" + json(values[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (also used for text values with spaces).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

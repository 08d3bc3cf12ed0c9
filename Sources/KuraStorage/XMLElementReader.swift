/// A strict reader of the XML subset S3 answers in: one root element, nested elements with quoted
/// attributes, text with the five named entities and character references, CDATA sections,
/// comments and processing instructions (skipped). A document type declaration, an unknown
/// entity, a mismatched or unclosed tag, text that is not UTF-8 or nesting deeper than
/// `maximumDepth` makes the whole document unreadable (nil): the bytes come from a store kura does
/// not trust, and nothing in an S3 answer needs more.
struct XMLElementReader {
    static let maximumDepth = 32

    /// The text of `fields` directly inside every element at `path` (element names from the root),
    /// one dictionary per element in document order; nil when the document is not well formed.
    static func collect(_ bytes: [UInt8], path: [String], fields: Set<String>) -> [[String: String]]? {
        var reader = XMLElementReader(bytes: bytes)
        var stack: [String] = []
        var current: [String: String]?
        var text: [UInt8] = []
        var found: [[String: String]] = []
        var sawRoot = false
        while let event = reader.next() {
            switch event {
            case .malformed:
                return nil
            case .start(let name, let selfClosing):
                if stack.isEmpty {
                    guard !sawRoot else { return nil }
                    sawRoot = true
                }
                stack.append(name)
                guard stack.count <= maximumDepth else { return nil }
                if stack == path { current = [:] }
                text = []
                if selfClosing {
                    guard end(name, &stack, &current, &text, &found, path, fields) else { return nil }
                }
            case .end(let name):
                guard stack.last == name, end(name, &stack, &current, &text, &found, path, fields) else { return nil }
            case .text(let bytes):
                guard !stack.isEmpty || bytes.allSatisfy(isSpace) else { return nil }
                text += bytes
            }
        }
        return sawRoot && stack.isEmpty ? found : nil
    }

    private static func end(_ name: String, _ stack: inout [String], _ current: inout [String: String]?, _ text: inout [UInt8],
                            _ found: inout [[String: String]], _ path: [String], _ fields: Set<String>) -> Bool {
        if stack.count == path.count + 1, stack.dropLast().elementsEqual(path), fields.contains(name) {
            guard let value = String(validating: text, as: UTF8.self) else { return false }
            current?[name] = value
        }
        if stack == path, let element = current {
            found.append(element)
            current = nil
        }
        stack.removeLast()
        text = []
        return true
    }

    enum Event {
        case start(String, selfClosing: Bool)
        case end(String)
        case text([UInt8])
        case malformed
    }

    private let bytes: [UInt8]
    private var at = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The next event, nil at the end of the bytes.
    mutating func next() -> Event? {
        guard at < bytes.count else { return nil }
        guard bytes[at] == UInt8(ascii: "<") else { return text() }
        if starts(with: "<?") { return skip(past: "?>") }
        if starts(with: "<!--") { return skip(past: "-->") }
        if starts(with: "<![CDATA[") {
            let start = at + 9
            guard let end = find("]]>", from: start) else { return .malformed }
            at = end + 3
            return .text(Array(bytes[start..<end]))
        }
        if starts(with: "<!") { return .malformed }
        if starts(with: "</") {
            at += 2
            guard let name = name() else { return .malformed }
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ">") else { return .malformed }
            at += 1
            return .end(name)
        }
        at += 1
        guard let name = name() else { return .malformed }
        while true {
            skipSpace()
            guard at < bytes.count else { return .malformed }
            if bytes[at] == UInt8(ascii: ">") {
                at += 1
                return .start(name, selfClosing: false)
            }
            if bytes[at] == UInt8(ascii: "/") {
                guard at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: ">") else { return .malformed }
                at += 2
                return .start(name, selfClosing: true)
            }
            guard attribute() else { return .malformed }
        }
    }

    private mutating func text() -> Event {
        var out: [UInt8] = []
        while at < bytes.count, bytes[at] != UInt8(ascii: "<") {
            if bytes[at] == UInt8(ascii: "&") {
                guard let decoded = entity() else { return .malformed }
                out += decoded
            } else {
                out.append(bytes[at])
                at += 1
            }
        }
        return .text(out)
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xH;` as UTF-8; nil for anything else.
    private mutating func entity() -> [UInt8]? {
        guard let semicolon = bytes[at...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let body = Array(bytes[(at + 1)..<semicolon])
        at = semicolon + 1
        switch String(decoding: body, as: UTF8.self) {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        case let reference where reference.hasPrefix("#x"):
            return UInt32(reference.dropFirst(2), radix: 16).flatMap(Self.utf8)
        case let reference where reference.hasPrefix("#"):
            return UInt32(reference.dropFirst(1), radix: 10).flatMap(Self.utf8)
        default: return nil
        }
    }

    private static func utf8(_ scalar: UInt32) -> [UInt8]? {
        guard scalar != 0, let value = Unicode.Scalar(scalar) else { return nil }
        return Array(String(Character(value)).utf8)
    }

    private mutating func attribute() -> Bool {
        guard name() != nil else { return false }
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "=") else { return false }
        at += 1
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") || bytes[at] == UInt8(ascii: "'") else { return false }
        let quote = bytes[at]
        guard let close = bytes[(at + 1)...].firstIndex(of: quote), !bytes[(at + 1)..<close].contains(UInt8(ascii: "<")) else { return false }
        at = close + 1
        return true
    }

    /// An element or attribute name: up to space, `/`, `>`, `=` or `<`; nil when empty or not UTF-8.
    private mutating func name() -> String? {
        let start = at
        while at < bytes.count, !Self.isSpace(bytes[at]), !"/>=<\"'&".utf8.contains(bytes[at]) { at += 1 }
        guard at > start else { return nil }
        return String(validating: bytes[start..<at], as: UTF8.self)
    }

    private mutating func skip(past terminator: String) -> Event {
        guard let end = find(terminator, from: at + 2) else { return .malformed }
        at = end + terminator.utf8.count
        return .text([])
    }

    private func starts(with prefix: String) -> Bool { bytes[at...].starts(with: prefix.utf8) }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    private mutating func skipSpace() { while at < bytes.count, Self.isSpace(bytes[at]) { at += 1 } }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
}

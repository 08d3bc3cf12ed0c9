extension SanitizationCertificate {
    /// The certificate as plain text, for a terminal or a text archive.
    public var text: String { text(.en) }

    /// The certificate as plain text in `language`; labels are aligned by display width (a CJK character is two columns).
    public func text(_ language: DocumentLanguage) -> String {
        let s = Strings.for(language)
        let headline = headline(s)
        var out = "\(language == .en ? s.title.uppercased() : s.title)\n\(s.standard)\n\(headline.summary)\n\(headline.identities)\n"
        for section in sections(s) {
            let width = Self.displayWidth(section.title)
            out += "\n\(section.title)\n\(String(repeating: "-", count: width))\n"
            let labelWidth = section.fields.map { Self.displayWidth($0.label) }.max() ?? 0
            for field in section.fields {
                let separator = language == .en ? ":" : "："
                let used = Self.displayWidth(field.label) + Self.displayWidth(separator)
                out += "  " + field.label + separator
                    + String(repeating: " ", count: labelWidth + Self.displayWidth(":") - used + 1) + field.value + "\n"
            }
        }
        return out
    }

    /// Columns a terminal gives the text: East Asian Wide and Fullwidth characters take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return width + (scalar.properties.generalCategory == .nonspacingMark ? 0 : wide ? 2 : 1)
        }
    }
}

extension SanitizationCertificate {
    /// The certificate as plain text, for a terminal or a text archive.
    public var text: String {
        var out = "\(Self.title.uppercased())\n\(Self.standard)\n"
        out += "Medium \(media.serial): \(outcome) after \(sanitization.methodType.lowercased()) (\(sanitization.methodUsed))\n"
        out += "Signer identities: \(identities.summary)\n"
        for section in sections {
            out += "\n\(section.title)\n\(String(repeating: "-", count: section.title.count))\n"
            let width = section.fields.map(\.label.count).max() ?? 0
            for field in section.fields {
                out += "  " + field.label + ":" + String(repeating: " ", count: width - field.label.count + 1) + field.value + "\n"
            }
        }
        return out
    }
}

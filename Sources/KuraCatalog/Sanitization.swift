/// NIST SP 800-88 Rev. 1 sanitization categories.
public enum SanitizationMethod: String, Codable, Sendable, CaseIterable {
    case clear
    case purge
    case destroy
}

/// Where a sanitized medium goes (the "Media Destination" of NIST SP 800-88's sample certificate).
public enum SanitizationDestination: String, Codable, Sendable, CaseIterable {
    case internalReuse = "internal-reuse"
    case externalReuse = "external-reuse"
    case recycler
    case manufacturer
    case other

    /// Only internal reuse keeps the medium in the catalog's hands: it becomes `sanitized`, then `new`.
    public var keepsMedium: Bool { self == .internalReuse }
    public var isReuse: Bool { self == .internalReuse || self == .externalReuse }
}

enum SanitizationTechnique {
    /// Degaussing wipes an LTO cartridge's servo tracks along with the data, so the tape is destroyed.
    static func destroysTape(_ technique: String, mediaType: String) -> Bool {
        technique.lowercased().contains("degauss") && mediaType.uppercased().hasPrefix("LTO")
    }
}

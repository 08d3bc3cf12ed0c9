/// Where a medium is: `onsite:NAME`, `offsite:VAULT` or `in-transit:COURIER`.
public struct Location: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case onsite
        case offsite
        case inTransit = "in-transit"
    }

    public let kind: Kind
    public let name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses `KIND:NAME`; throws `.invalid` naming what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])),
              !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CatalogError(.invalid, "location '\(text)' is not onsite:NAME, offsite:VAULT or in-transit:COURIER")
        }
        try CatalogText.requireSingleLine(String(parts[1]), what: "location name")
        self.init(kind: kind, name: String(parts[1]))
    }

    /// A place a medium can be sent to or registered at (not in transit).
    public init(parsingPlace text: String) throws {
        try self.init(parsing: text)
        guard kind != .inTransit else {
            throw CatalogError(.invalid, "location '\(text)' is in transit; give onsite:NAME or offsite:VAULT")
        }
    }

    public var description: String { "\(kind.rawValue):\(name)" }

    /// Whether `filter` (`onsite`, `offsite:VAULT`, ...) selects this location.
    public func matches(_ filter: String) -> Bool {
        filter.contains(":") ? description == filter : kind.rawValue == filter
    }
}

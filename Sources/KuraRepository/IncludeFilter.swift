/// `--include` patterns of a restore: a pattern with '/' matches the whole snapshot path, one
/// without matches the name, and a matching directory brings everything below it.
public struct IncludeFilter: Sendable {
    public let patterns: [String]

    public init(_ patterns: [String]) { self.patterns = patterns }

    public var includesEverything: Bool { patterns.isEmpty }

    public func matches(_ path: String, name: String) -> Bool {
        patterns.contains { p in
            Posix.matches(pattern: p, path) || (!p.contains("/") && Posix.matches(pattern: p, name))
                || path.hasPrefix(p.hasSuffix("/") ? p : p + "/")
        }
    }
}

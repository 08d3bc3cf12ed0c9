/// `--include` patterns of a restore (globs as `GlobPattern` reads them): a pattern with '/' matches the whole
/// snapshot path, one without matches the name, and a matching directory brings everything below it.
public struct IncludeFilter: Sendable {
    public let patterns: [String]
    private let globs: [GlobPattern]

    public init(_ patterns: [String]) {
        self.patterns = patterns
        globs = patterns.map(GlobPattern.init)
    }

    public var includesEverything: Bool { patterns.isEmpty }

    public func matches(_ path: String, name: String) -> Bool {
        globs.contains { g in
            g.matches(path) || (!g.text.contains("/") && g.matches(name))
                || path.hasPrefix(g.text.hasSuffix("/") ? g.text : g.text + "/")
        }
    }
}

import Testing
@testable import KuraRepository

@Suite("Glob patterns")
struct GlobPatternTests {
    @Test("* stays within one path component", arguments: [
        ("/src/*.tmp", "/src/a.tmp", true),
        ("/src/*.tmp", "/src/a/b/deep.tmp", false),
        ("/src/*.tmp", "/src/.tmp", true),
        ("*.tmp", "a.tmp", true),
        ("*", "a/b", false),
    ])
    func star(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected)
    }

    @Test("** crosses components, and **/ may stand for none", arguments: [
        ("/src/**/*.tmp", "/src/a/b/deep.tmp", true),
        ("/src/**/*.tmp", "/src/top.tmp", true),
        ("/src/**", "/src/a/b/c", true),
        ("**/cache", "/home/u/.cache/x/cache", true),
        ("/src/**.tmp", "/src/a/b.tmp", true),
        ("/src/**/x", "/other/a/x", false),
    ])
    func globstar(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected)
    }

    @Test("?, classes, escapes and Japanese", arguments: [
        ("?.sql", "a.sql", true),
        ("?.sql", "/.sql", false),
        ("[abc].log", "b.log", true),
        ("[!abc].log", "b.log", false),
        ("[a-c]x", "cx", true),
        ("[]]x", "]x", true),
        ("\\*.sql", "*.sql", true),
        ("\\*.sql", "a.sql", false),
        ("顧客*.sql", "顧客一覧.sql", true),
        ("?客.sql", "顧客.sql", true),
        ("[x", "[x", true),
    ])
    func others(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected)
    }

    @Test("a long pattern against a long path stays fast (memoized, not exponential)")
    func noBacktrackingBlowup() {
        let pattern = GlobPattern(String(repeating: "*a", count: 30) + "b")
        let path = String(repeating: "a", count: 200)
        #expect(!pattern.matches(path))
    }
}

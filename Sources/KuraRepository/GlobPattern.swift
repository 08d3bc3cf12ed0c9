/// A shell glob as restic and borg users write them for `--exclude` and `--include`: `*` matches any run
/// of characters within one path component (never `/`), `**` matches across components (`a/**/b` also
/// matches `a/b`), `?` one character other than `/`, `[abc]`, `[a-z]` and `[!x]` one character of a
/// class, and `\x` the character x itself. Matching is on Unicode scalars, so Japanese names match
/// character by character.
public struct GlobPattern: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case star
        case globstar
        case set(ranges: [ClosedRange<UInt32>], negated: Bool)
    }

    public let text: String
    let tokens: [Token]

    public init(_ text: String) {
        self.text = text
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "*":
                if i + 1 < scalars.count && scalars[i + 1] == "*" {
                    tokens.append(.globstar)
                    i += 2
                    while i < scalars.count && scalars[i] == "*" { i += 1 }
                    continue
                }
                tokens.append(.star)
            case "?":
                tokens.append(.anyCharacter)
            case "\\" where i + 1 < scalars.count:
                i += 1
                tokens.append(.literal(scalars[i]))
            case "[":
                if let (set, end) = Self.parseSet(scalars, from: i) {
                    tokens.append(set)
                    i = end
                } else {
                    tokens.append(.literal(c))
                }
            default:
                tokens.append(.literal(c))
            }
            i += 1
        }
        self.tokens = tokens
    }

    /// A `[...]` class starting at `start`; returns the token and the index of its closing `]`, or nil when
    /// there is none (then `[` is an ordinary character, as in fnmatch).
    private static func parseSet(_ s: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < s.count && (s[i] == "!" || s[i] == "^") {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while i < s.count {
            if s[i] == "]" && !first { return (.set(ranges: ranges, negated: negated), i) }
            first = false
            var low = s[i]
            if low == "\\" && i + 1 < s.count {
                i += 1
                low = s[i]
            }
            if i + 2 < s.count && s[i + 1] == "-" && s[i + 2] != "]" {
                let high = s[i + 2]
                if low.value <= high.value { ranges.append(low.value...high.value) }
                i += 3
            } else {
                ranges.append(low.value...low.value)
                i += 1
            }
        }
        return nil
    }

    public func matches(_ string: String) -> Bool {
        let s = Array(string.unicodeScalars)
        var memo: [Int: Bool] = [:]
        return match(0, 0, s, &memo)
    }

    private func match(_ p: Int, _ i: Int, _ s: [Unicode.Scalar], _ memo: inout [Int: Bool]) -> Bool {
        let key = p * (s.count + 1) + i
        if let known = memo[key] { return known }
        let result: Bool
        if p == tokens.count {
            result = i == s.count
        } else {
            switch tokens[p] {
            case .literal(let c):
                result = i < s.count && s[i] == c && match(p + 1, i + 1, s, &memo)
            case .anyCharacter:
                result = i < s.count && s[i] != "/" && match(p + 1, i + 1, s, &memo)
            case .set(let ranges, let negated):
                result = i < s.count && s[i] != "/" && ranges.contains { $0.contains(s[i].value) } != negated
                    && match(p + 1, i + 1, s, &memo)
            case .star:
                var k = i
                var found = match(p + 1, k, s, &memo)
                while !found && k < s.count && s[k] != "/" {
                    k += 1
                    found = match(p + 1, k, s, &memo)
                }
                result = found
            case .globstar:
                // `**/` may also stand for no directory at all.
                if p + 1 < tokens.count, tokens[p + 1] == .literal("/"), match(p + 2, i, s, &memo) {
                    result = true
                } else {
                    result = (i...s.count).contains { match(p + 1, $0, s, &memo) }
                }
            }
        }
        memo[key] = result
        return result
    }
}

/// How many terminal columns text takes: East Asian Wide and Fullwidth characters two, combining marks,
/// format characters (zero-width joiner, …) and controls none, everything else one. Measured per grapheme
/// cluster, so a base letter with its accents, an emoji with a skin-tone modifier or a joined emoji
/// sequence counts once, as wide as its widest part.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            width = max(width, of(scalar))
        }
        // A text-default symbol followed by VARIATION SELECTOR-16 asks for the emoji presentation: two columns.
        if width == 1, character.unicodeScalars.count > 1, character.unicodeScalars.contains("\u{FE0F}"),
           character.unicodeScalars.first?.properties.isEmoji == true {
            width = 2
        }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator, .paragraphSeparator:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(scalar.value) { return 0 } // Hangul medial vowels and final consonants join the syllable.
        return isWide(scalar.value) ? 2 : 1
    }

    static func isWide(_ value: UInt32) -> Bool {
        var low = 0
        var high = eastAsianWideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = eastAsianWideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// The longest prefix of `text` that fits in `width` columns, ending in `…` when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// `text` followed by spaces up to `width` columns (nothing is cut).
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    /// Spaces up to `width` columns, then `text`.
    public static func leftPadded(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - of(text))) + text
    }
}

import Foundation
import Testing
@testable import KuraText

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(DisplayWidth.of("tape-01") == 7)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func japaneseIsTwoColumnsEach() {
        #expect(DisplayWidth.of("山田太郎") == 8)
        #expect(DisplayWidth.of("ｶﾀｶﾅ") == 4) // halfwidth katakana: one column each
        #expect(DisplayWidth.of("ＡＢ") == 4) // fullwidth Latin
        #expect(DisplayWidth.of("東京　倉庫") == 10) // ideographic space is fullwidth
    }

    @Test func mixedTextAddsUp() {
        #expect(DisplayWidth.of("LTO-9 東京第2倉庫") == 6 + 2 * 5 + 1)
        #expect(DisplayWidth.of("鈴木 (media)") == 4 + 8)
    }

    @Test func emojiAreTwoColumnsEvenWhenJoinedOrModified() {
        #expect(DisplayWidth.of("📼") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2) // with a skin-tone modifier: one cluster
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2) // zero-width-joiner sequence
        #expect(DisplayWidth.of("❤️") == 2) // text-default heart with VS16
        #expect(DisplayWidth.of("ok✅") == 4)
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Cafe\u{301} de\u{300}") == 7)
        #expect(DisplayWidth.of("か\u{3099}") == 2) // combining dakuten on a wide kana
        #expect(DisplayWidth.of("\u{200B}") == 0) // zero-width space
        #expect(DisplayWidth.of("\u{1100}\u{1161}\u{11A8}") == 2) // Hangul syllable from jamo
    }

    @Test func truncationMarksTheCutAndNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("山田太郎", to: 8) == "山田太郎")
        #expect(DisplayWidth.truncate("山田太郎", to: 6) == "山田…")
        #expect(DisplayWidth.truncate("山田太郎", to: 4) == "山…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("山田太郎", to: 4)) == 3)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
    }

    @Test func wideRangesAreSortedAndDisjoint() {
        for (a, b) in zip(eastAsianWideRanges, eastAsianWideRanges.dropFirst()) {
            #expect(a.upperBound < b.lowerBound)
        }
        #expect(DisplayWidth.isWide(0x4E00) && DisplayWidth.isWide(0x9FFF) && DisplayWidth.isWide(0x20000))
        #expect(!DisplayWidth.isWide(0x41) && !DisplayWidth.isWide(0xFF61))
    }
}

@Suite struct TextTableTests {
    @Test func japaneseCellsAlignByDisplayColumn() {
        var table = TextTable(headers: ["Name", "Location", "Status"])
        table.append(["山田太郎", "東京第2倉庫", "active"])
        table.append(["bob", "Osaka", "pending"])
        let lines = table.aligned()
        #expect(lines == ["Name      Location     Status", "山田太郎  東京第2倉庫  active", "bob       Osaka        pending"])
    }

    @Test func aWidthCutsTheWidestColumnWithAMarker() {
        var table = TextTable(headers: ["ID", "Note"])
        table.append(["1", "保管庫から取り出した媒体"])
        let lines = table.aligned(width: 16)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 16 })
        #expect(lines[1].hasSuffix("…"))
        #expect(table.aligned().last == "1   保管庫から取り出した媒体")
    }

    @Test func tabsAndNewlinesNeverReachTheOutput() {
        var table = TextTable(headers: ["A", "B"])
        table.append(["x\ty", "line\nbreak"])
        #expect(table.aligned().joined().contains("\t") == false)
        #expect(table.tabSeparated() == ["A\tB", "x y\tline break"])
    }

    @Test func rightAlignedColumnsPadOnTheLeft() {
        var table = TextTable([.init("Size", alignment: .right), .init("Name")])
        table.append(["1.5 GiB", "a"])
        table.append(["12 B", "b"])
        #expect(table.aligned() == ["   Size  Name", "1.5 GiB  a", "   12 B  b"])
    }
}

@Suite struct LocalTimeTests {
    @Test func tokyoShowsItsOffset() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        #expect(LocalTime.format(iso8601: "2026-11-30T09:00:00Z", timeZone: tokyo) == "2026-11-30 18:00:00 +09:00")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(LocalTime.format(iso8601: "2026-01-01T03:30:00Z", timeZone: newYork) == "2025-12-31 22:30:00 -05:00")
        #expect(LocalTime.format(iso8601: "not a time", timeZone: tokyo) == "not a time")
    }

    @Test func agesInTheTwoLargestUnits() {
        #expect(LocalTime.age(seconds: 3 * 86_400 + 4 * 3600 + 59) == "3d 4h")
        #expect(LocalTime.age(seconds: 2 * 86_400) == "2d")
        #expect(LocalTime.age(seconds: 5 * 3600 + 12 * 60 + 7) == "5h 12m")
        #expect(LocalTime.age(seconds: 42.9) == "42s")
        #expect(LocalTime.age(seconds: 0) == "0s")
        #expect(LocalTime.age(seconds: -90) == "-1m 30s")
    }
}

@Suite struct ProgressLineTests {
    let bytes: (Int64) -> String = { "\($0) B" }

    @Test func aKnownTotalShowsPercentAndETA() {
        let line = ProgressLine.text(done: 250, total: 1000, files: 3, elapsed: 10, formatBytes: bytes)
        #expect(line == "250 B / 1000 B  25%  ETA 30s  25 B/s  3 files  10s")
    }

    @Test func aStreamShowsBytesAndRate() {
        #expect(ProgressLine.text(done: 4096, total: nil, files: nil, elapsed: 2, formatBytes: bytes) == "4096 B  2048 B/s  2s")
    }

    @Test func doneNeverShowsMoreThanTheTotal() {
        #expect(ProgressLine.text(done: 1200, total: 1000, files: nil, elapsed: 5, formatBytes: bytes).hasPrefix("1000 B / 1000 B  100%"))
    }
}

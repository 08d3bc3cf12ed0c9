import Foundation
import Testing

/// Issue 15 item 4, "reading it": lists are aligned tables measured in display columns (Japanese names line up),
/// cut with '…' only to fit a terminal or --width, tab-separated with --tsv; times are local with their offset.
@Suite struct ReadingListsTests {
    /// Display columns by a rule independent of kura's: CJK ideographs, kana and fullwidth forms are two, the rest one.
    static func columns(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let wide = (0x3000...0x30FF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
                || (0xFF01...0xFF60).contains(scalar.value)
            return width + (wide ? 2 : 1)
        }
    }

    /// The display column at which `cell` starts in `line`.
    static func start(of cell: String, in line: String) -> Int? {
        guard let range = line.range(of: cell) else { return nil }
        return columns(line[..<range.lowerBound])
    }

    /// The environment for runs on `f`'s catalog: a fixed time, and Tokyo's time zone.
    static func environment(_ f: CatalogFixture) -> [String: String] {
        ["KURA_CATALOG": f.catalogPath, "KURA_NOW": "2026-11-30T09:00:00Z", "TZ": "Asia/Tokyo"]
    }

    /// A catalog with custodians named and located in Japanese, at a fixed time. (The fixture owns the temporary
    /// directory: keep it alive as long as the catalog is used.)
    static func japaneseCatalog() throws -> CatalogFixture {
        let f = try CatalogFixture()
        let environment = Self.environment(f)
        for (name, location) in [("山田太郎", "東京第2データセンター"), ("bob", "Osaka"), ("佐藤花子", "大阪")] {
            let added = try Kura.run(["custodian", "add", name, "--title", "情報システム部 課長", "--org", "株式会社クラ", "--location", location],
                                     environment: environment.merging(["KURA_CUSTODIAN_PASSWORD": CatalogFixture.passphrase(of: name)]) { $1 })
            #expect(added.status == 0, "\(added.stderr)")
        }
        return f
    }

    @Test func aJapaneseCustodianTableLinesUpByDisplayColumn() throws {
        let f = try Self.japaneseCatalog()
        defer { withExtendedLifetime(f) {} }
        let environment = Self.environment(f)
        let result = try Kura.run(["custodian", "list"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result.output)")
        #expect(!result.output.contains("\t"))
        let header = try #require(lines.first)
        let statusColumn = try #require(Self.start(of: "Status", in: header))
        let titleColumn = try #require(Self.start(of: "Title", in: header))
        let locationColumn = try #require(Self.start(of: "Location", in: header))
        #expect(statusColumn > 0 && titleColumn > statusColumn && locationColumn > titleColumn)
        let rows: [(String, String)] = [("山田太郎", "東京第2データセンター"), ("bob", "Osaka"), ("佐藤花子", "大阪")]
        for (name, location) in rows {
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "no row for \(name) in \(result.output)")
            #expect(Self.start(of: "情報システム部 課長", in: line) == titleColumn, "\(line)")
            #expect(Self.start(of: location, in: line) == locationColumn, "\(line)")
            let status = line.contains("active") ? "active" : "pending"
            #expect(Self.start(of: status, in: line) == statusColumn, "\(line)")
        }
        // The same through a pipe with --width: cut to fit, the cut marked, still aligned up to the cut.
        let narrow = try Kura.run(["custodian", "list", "--width", "60"], environment: environment)
        #expect(narrow.status == 0)
        let narrowLines = narrow.output.split(separator: "\n")
        #expect(narrowLines.allSatisfy { Self.columns($0) <= 60 }, "\(narrow.output)")
        #expect(narrow.output.contains("…"))
        // Piped without --width nothing is cut.
        #expect(!result.output.contains("…") && result.output.contains("東京第2データセンター"))
    }

    @Test func aMediumsHistoryIsATableWithoutTabs() throws {
        let f = try Self.japaneseCatalog()
        defer { withExtendedLifetime(f) {} }
        let environment = Self.environment(f)
        func signed(_ name: String) -> [String: String] {
            environment.merging(["KURA_CUSTODIAN_PASSWORD": CatalogFixture.passphrase(of: name)]) { $1 }
        }
        let added = try Kura.run(["media", "add", "T1", "--type", "LTO-9", "--location", "onsite:本社金庫", "--as", "山田太郎"], environment: signed("山田太郎"))
        #expect(added.status == 0, "\(added.stderr)")
        let moved = try Kura.run(["media", "move", "T1", "--to", "offsite:倉庫", "--via", "ヤマト運輸", "--as", "bob"], environment: signed("bob"))
        #expect(moved.status == 0, "\(moved.stderr)")
        let shown = try Kura.run(["media", "show", "T1"], environment: environment)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(!shown.output.contains("\t"), "\(shown.output)")
        let history = shown.output.split(separator: "\n").drop { $0 != "history:" }.dropFirst()
        #expect(history.count == 3, "\(shown.output)")   // header and two events
        // The actor column starts at one display column on every line, a Japanese name or not.
        let starts = history.dropFirst().map { line in
            Self.start(of: line.contains("山田太郎") ? "山田太郎" : "bob", in: String(line))
        }
        #expect(starts.count == 2 && starts[0] != nil && starts[0] == starts[1], "\(shown.output)")
    }

    @Test func tsvIsForScriptsAndNeverCut() throws {
        let f = try Self.japaneseCatalog()
        defer { withExtendedLifetime(f) {} }
        let environment = Self.environment(f)
        let result = try Kura.run(["custodian", "list", "--tsv"], environment: environment)
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.first?.first == "Name" && lines.count == 4)
        #expect(lines.allSatisfy { $0.count == lines[0].count })
        #expect(lines.contains { $0.first == "山田太郎" && $0.contains("東京第2データセンター") })
        for list in [["media", "list"], ["audit", "log"], ["hold", "list"], ["drill", "list"]] {
            let listed = try Kura.run(list + ["--tsv"], environment: environment)
            #expect(listed.status == 0, "\(list): \(listed.stderr)")
            #expect(listed.output.split(separator: "\n").first?.contains("\t") == true, "\(list): \(listed.output)")
        }
        let both = try Kura.run(["custodian", "list", "--tsv", "--width", "80"], environment: environment)
        #expect(both.status == 64)
    }

    @Test func timesAreLocalWithTheirOffsetAndJSONStaysUTC() throws {
        let f = try Self.japaneseCatalog()
        defer { withExtendedLifetime(f) {} }
        let environment = Self.environment(f)
        let log = try Kura.run(["audit", "log"], environment: environment)
        #expect(log.status == 0)
        #expect(log.output.contains("2026-11-30 18:00:00 +09:00"), "\(log.output)")
        #expect(!log.output.contains("2026-11-30T09:00:00Z"))
        let utc = try Kura.run(["audit", "log"], environment: environment.merging(["TZ": "UTC"]) { $1 })
        #expect(utc.output.contains("2026-11-30 09:00:00 +00:00"))
        let json = try Kura.run(["audit", "log", "--json"], environment: environment)
        #expect(json.output.contains("2026-11-30T09:00:00.000Z") && !json.output.contains("+09:00"))
    }

    /// "Size" is what the snapshot holds, not what its run read: an unchanged second backup reads nothing
    /// (the files cache) but holds the same 300 000 bytes.
    @Test func snapshotSizeIsTheSnapshotsNotTheBytesRead() throws {
        let f = try RepositoryFixture()
        let data = f.path("data")
        try FileManager.default.createDirectory(atPath: data + "/sub", withIntermediateDirectories: true)
        try Data(repeating: 7, count: 200_000).write(to: URL(fileURLWithPath: data + "/a.bin"))
        try Data(repeating: 9, count: 100_000).write(to: URL(fileURLWithPath: data + "/sub/b.bin"))
        for _ in 0..<2 { #expect(try f.kura(["backup", data, "--quiet"]).status == 0) }
        let json = try JSONSerialization.jsonObject(with: try f.kura(["snapshots", "--json"]).stdout) as? [[String: Any]] ?? []
        let read = json.compactMap { ($0["summary"] as? [String: Any])?["bytes_read"] as? Int }
        #expect(read == [300_000, 0], "the second backup must read nothing for this test to mean anything: \(read)")
        let tsv = try f.kura(["snapshots", "--tsv"])
        let rows = tsv.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let sizeColumn = try #require(rows.first?.firstIndex(of: "Size"))
        #expect(rows.dropFirst().map { $0[sizeColumn] } == ["293.0 KiB", "293.0 KiB"], "\(tsv.output)")
        let text = try f.kura(["snapshots"], environment: ["TZ": "Asia/Tokyo"])
        #expect(text.output.contains("+09:00") && text.output.contains("2 snapshots"), "\(text.output)")
    }
}

import Foundation
import Testing

/// Acceptance 6: an inventory reports exactly what is missing and what is unexpected, exits 1, and is recorded.
@Suite struct CatalogInventoryTests {
    @Test func oneMissingAndOneUnknownSerialAreExactlyWhatIsReported() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        for serial in ["V1", "V2", "V3"] {
            try f.ok(["media", "add", serial, "--type", "LTO-9", "--barcode", "\(serial)L9", "--location", "offsite:vault", "--as", "alice"])
        }
        try f.ok(["media", "add", "ELSEWHERE", "--type", "LTO-9", "--location", "onsite:main", "--as", "alice"])
        let scanned = f.directory.appending("scan.txt")
        try "# vault scan\nV1\nV2L9\n\nUNKNOWN99\n".write(toFile: scanned, atomically: true, encoding: .utf8)

        let text = try f.kura(["media", "inventory", "--location", "offsite:vault", "--scanned", scanned, "--as", "bob"])
        #expect(text.status == 1)
        let lines = text.output.split(separator: "\n").filter { !$0.hasPrefix("inventory ") }
        #expect(lines == ["missing: V3", "unexpected: UNKNOWN99"])

        let json = try f.kura(["media", "inventory", "--location", "offsite:vault", "--scanned", scanned, "--as", "bob", "--json"])
        #expect(json.status == 1)
        let inventory = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(inventory?["missing"] as? [String] == ["V3"])
        #expect(inventory?["unexpected"] as? [String] == ["UNKNOWN99"])
        #expect(inventory?["misplaced"] as? [String] == [])
        #expect(inventory?["present"] as? [String] == ["V1", "V2"])

        let log = try f.ok(["audit", "log", "--json"])
        let kinds = (try JSONSerialization.jsonObject(with: log.stdout) as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "inventory.taken" }.count == 2)
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func aCleanInventoryExitsZeroAndMisplacedMediaAreReported() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "A1", "--type", "HDD", "--location", "onsite:room1", "--as", "alice"])
        try f.ok(["media", "add", "B1", "--type", "HDD", "--location", "onsite:room2", "--as", "alice"])
        let scanned = f.directory.appending("scan.txt")
        try "A1\n".write(toFile: scanned, atomically: true, encoding: .utf8)
        try f.ok(["media", "inventory", "--location", "onsite:room1", "--scanned", scanned, "--as", "alice"])

        try "A1\nB1\n".write(toFile: scanned, atomically: true, encoding: .utf8)
        let misplaced = try f.kura(["media", "inventory", "--location", "onsite:room1", "--scanned", scanned, "--as", "alice"])
        #expect(misplaced.status == 1)
        #expect(misplaced.output.contains("misplaced: B1 (catalog: new at onsite:room2)"))
    }
}

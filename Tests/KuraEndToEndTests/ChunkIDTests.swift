import Foundation
import Testing
@testable import KuraRepository
import KuraCrypto

/// Issue 16 item 1: the chunk id function config names (`chunk_id`): each one round-trips, a config written
/// before the field existed keeps working, an unknown name is refused, and copies cross between the two.
@Suite("chunk id functions")
struct ChunkIDTests {
    static let functions = ["keyed-blake2b-256", "keyed-blake3-256"]

    /// A tree of a few chunks' worth of random bytes and a Japanese name, in the fixture's directory.
    static func makeTree(_ fixture: RepositoryFixture, bytes: Int = 2_500_000) throws -> String {
        let tree = fixture.path("crm")
        #expect(try Kura.shell("mkdir -p '\(tree)/帳票' && head -c \(bytes) /dev/urandom > '\(tree)/dump.bin' && echo '山田太郎' > '\(tree)/帳票/名簿.txt'").status == 0)
        return tree
    }

    static func config(_ fixture: RepositoryFixture) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.repo + "/config"))) as? [String: Any] ?? [:]
    }

    /// Changes config and records its new checksum in every key slot, as a kura that wrote such a config would
    /// have: what is tested is what kura does with the config, not that a changed config is detected.
    static func rewriteConfig(_ fixture: RepositoryFixture, _ change: (inout [String: Any]) -> Void) throws {
        var json = try config(fixture)
        change(&json)
        let bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])) + [10]
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.repo + "/config"))
        let checksum = Hex.encode(Blake2b.hash256(bytes))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.repo + "/keys") {
            let url = URL(fileURLWithPath: fixture.repo + "/keys/" + name)
            var slot = try decoder.decode(KeySlot.self, from: Data(contentsOf: url))
            slot.config = checksum
            slot.checksum = Hex.encode(Blake2b.hash256(Array(slot.checksumText.utf8)))
            try (try encoder.encode(slot) + Data([10])).write(to: url)
        }
    }

    /// Backs up `tree`, checks every byte, restores it and compares.
    static func roundTrip(_ fixture: RepositoryFixture, tree: String, target: String) throws {
        let backup = try fixture.kura(["backup", tree])
        #expect(backup.status == 0, "\(backup.stderr)")
        let check = try fixture.kura(["check", "--read-data"])
        #expect(check.status == 0, "\(check.output)")
        let restore = try fixture.kura(["restore", "latest", "--target", fixture.path(target)])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Kura.shell("diff -r '\(tree)' '\(fixture.path(target))\(tree)'").status == 0)
    }

    @Test("a repository made with each function backs up, checks and restores; init names it in config", arguments: functions)
    func eachFunctionRoundTrips(function: String) throws {
        let fixture = try RepositoryFixture(name: "kura-chunk-id", initArguments: ["--chunk-id", function])
        #expect(try Self.config(fixture)["chunk_id"] as? String == function)
        let tree = try Self.makeTree(fixture)
        try Self.roundTrip(fixture, tree: tree, target: "restored")
        // A second backup of the same tree stores no chunk again: ids are stable within the repository.
        let again = try fixture.kura(["backup", tree, "--json", "--no-cache"])
        #expect(again.status == 0)
        #expect((try RepositoryFixture.json(again)["bytes_new"] as? Int ?? -1) < 50_000, "\(again.output)")
    }

    @Test("new repositories use keyed-blake3-256; --chunk-id refuses other names")
    func defaultAndBadName() throws {
        let fixture = try RepositoryFixture(name: "kura-chunk-id-default")
        #expect(try Self.config(fixture)["chunk_id"] as? String == "keyed-blake3-256")
        let directory = try TemporaryDirectory("kura-chunk-id-bad")
        let bad = try Kura.run(["init", "--chunk-id", "keyed-md5"], environment: ["KURA_REPO": directory.appending("repo"), "KURA_PASSWORD": "pw"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("keyed-md5") && bad.stderr.contains("keyed-blake2b-256") && bad.stderr.contains("keyed-blake3-256"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending("repo/config")))
    }

    @Test("a config without chunk_id (written before the field) opens, deduplicates against its old ids and restores")
    func oldConfigKeepsWorking() throws {
        let fixture = try RepositoryFixture(name: "kura-chunk-id-old", initArguments: ["--chunk-id", "keyed-blake2b-256"])
        let tree = try Self.makeTree(fixture)
        #expect(try fixture.kura(["backup", tree]).status == 0)
        try Self.rewriteConfig(fixture) { $0.removeValue(forKey: "chunk_id") }
        // The same tree again: every chunk is found under its keyed BLAKE2b id, so almost nothing is stored.
        let again = try fixture.kura(["backup", tree, "--json", "--no-cache"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect((try RepositoryFixture.json(again)["bytes_new"] as? Int ?? -1) < 50_000, "\(again.output)")
        try Self.roundTrip(fixture, tree: tree, target: "restored")
        #expect(try Self.config(fixture)["chunk_id"] == nil, "config must never be rewritten")
    }

    @Test("a config naming a function this kura does not know is refused with its name (exit 1), and nothing is written")
    func unknownFunctionIsRefused() throws {
        let fixture = try RepositoryFixture(name: "kura-chunk-id-unknown")
        let tree = try Self.makeTree(fixture, bytes: 100_000)
        #expect(try fixture.kura(["backup", tree]).status == 0)
        try Self.rewriteConfig(fixture) { $0["chunk_id"] = "keyed-sha3-256" }
        let before = try Kura.shell("find '\(fixture.repo)' -type f | sort").output
        for arguments in [["backup", tree], ["snapshots"], ["restore", "latest", "--target", fixture.path("out")], ["check"]] {
            let result = try fixture.kura(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.stderr.contains("keyed-sha3-256") && result.stderr.contains("does not know"), "\(arguments): \(result.stderr)")
        }
        #expect(try Kura.shell("find '\(fixture.repo)' -type f | sort").output == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out")))
    }

    @Test("copy re-ids every blob between repositories with different functions, both ways", arguments: [
        ("keyed-blake2b-256", "keyed-blake3-256"), ("keyed-blake3-256", "keyed-blake2b-256"),
    ])
    func copyAcrossFunctions(from: String, to: String) throws {
        let source = try RepositoryFixture(name: "kura-chunk-id-src", initArguments: ["--chunk-id", from])
        let destination = try RepositoryFixture(name: "kura-chunk-id-dst", initArguments: ["--chunk-id", to])
        let tree = try Self.makeTree(source)
        #expect(try source.kura(["backup", tree]).status == 0)
        let copy = try destination.kura(["copy", "--from-repo", source.repo], environment: ["KURA_FROM_PASSWORD": source.password])
        #expect(copy.status == 0, "\(copy.stderr)")
        // Reading every blob re-hashes it with the destination's function: an id kept from the source fails here.
        let check = try destination.kura(["check", "--read-data"])
        #expect(check.status == 0, "\(check.output)")
        let restore = try destination.kura(["restore", "latest", "--target", destination.path("restored")])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Kura.shell("diff -r '\(tree)' '\(destination.path("restored"))\(tree)'").status == 0)
    }
}

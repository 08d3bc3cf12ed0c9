import Foundation
import Testing

/// Issue 15 item 9: commands that only read the catalog never create one, and a URL is not taken for a path.
@Suite struct CatalogFileTests {
    static let readOnlyCommands: [[String]] = [
        ["media", "list"], ["media", "show", "S1"], ["media", "certificate", "S1"], ["report"],
        ["audit", "verify"], ["audit", "log"], ["audit", "checkpoint"], ["custodian", "list"],
        ["hold", "list"], ["drill", "list"],
    ]

    @Test(arguments: readOnlyCommands)
    func readOnlyCommandRefusesAMissingCatalog(_ command: [String]) throws {
        let f = try CatalogFixture()
        let result = try f.kura(command)
        #expect(result.status == 21, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("no catalog at \(f.catalogPath)"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: f.catalogPath))
        #expect(!FileManager.default.fileExists(atPath: f.directory.appending("data")))
    }

    @Test func readOnlyCommandReadsAnExistingCatalog() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "list"])
        try f.ok(["audit", "verify"])
    }

    @Test(arguments: ["postgresql://kura@db.example/catalog", "postgres://db/kura", "s3+https://bucket/catalog.db"])
    func urlCatalogIsRefused(_ url: String) throws {
        let f = try CatalogFixture()
        for command in [["media", "list"], ["custodian", "add", "alice", "--title", "T", "--org", "O"]] {
            let result = try Kura.run(command + ["--catalog", url], environment: [
                "KURA_CUSTODIAN_PASSWORD": CatalogFixture.passphrase(of: "alice")])
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("is a URL"))
        }
        let fromEnvironment = try Kura.run(["custodian", "list"], environment: ["KURA_CATALOG": url])
        #expect(fromEnvironment.status == 64)
        let scheme = String(url.prefix { $0 != ":" })
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/" + scheme + ":"))
        _ = f
    }
}

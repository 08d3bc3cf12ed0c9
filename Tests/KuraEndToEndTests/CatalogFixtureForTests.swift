import Foundation
import Testing

/// A fresh catalog in its own temporary directory, and kura run against it with each custodian's passphrase.
final class CatalogFixture {
    let directory: TemporaryDirectory
    let catalogPath: String
    /// KURA_NOW for the next runs; nil uses the real clock.
    var now: String?

    init() throws {
        directory = try TemporaryDirectory("kura-catalog")
        catalogPath = directory.appending("data/catalog.db")
    }

    static func passphrase(of name: String) -> String { "\(name) correct horse battery" }

    /// Runs kura on this catalog; the passphrase is that of the `--as` custodian (or `passphraseOf`), unless `passphrase` is given.
    @discardableResult
    func kura(_ arguments: [String], passphrase: String? = nil, passphraseOf: String? = nil, stdin: Data? = nil) throws -> KuraResult {
        var environment = ["KURA_CATALOG": catalogPath]
        let signer = passphraseOf ?? arguments.firstIndex(of: "--as").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        if let secret = passphrase ?? signer.map(Self.passphrase(of:)) { environment["KURA_CUSTODIAN_PASSWORD"] = secret }
        if let now { environment["KURA_NOW"] = now }
        return try Kura.run(arguments, environment: environment, stdin: stdin)
    }

    /// Runs kura and records an issue unless it exits 0.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> KuraResult {
        let result = try kura(arguments)
        #expect(result.status == 0, "kura \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Adds custodians; the first two of the catalog are active at once, later ones are approved by `approvers`.
    func addCustodians(_ names: [String], approvers: [String] = ["alice", "bob"]) throws {
        for name in names {
            try ok(["custodian", "add", name, "--title", "\(name.capitalized) Title", "--org", "ACME Data Center",
                    "--phone", "+81-3-0000-\(name.count)", "--location", "Tokyo DC \(name)"], passphraseOf: name)
        }
        let existing = try custodianStatuses()
        for name in names where existing[name] == "pending" {
            for approver in approvers { try ok(["custodian", "approve", name, "--as", approver]) }
        }
    }

    @discardableResult
    func ok(_ arguments: [String], passphraseOf name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> KuraResult {
        let result = try kura(arguments, passphraseOf: name)
        #expect(result.status == 0, "kura \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func custodianStatuses() throws -> [String: String] {
        let result = try kura(["custodian", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as! String, $0["status"] as! String) })
    }

    func mediumState(_ serial: String) throws -> String? {
        let result = try kura(["media", "show", serial, "--json"])
        let report = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        return (report?["medium"] as? [String: Any])?["state"] as? String
    }

    /// Runs an SQL statement on the catalog with the sqlite3 command-line tool, as a tamperer would.
    func sqlite(_ sql: String, on path: String? = nil) throws {
        let result = try Kura.runProgram(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path ?? catalogPath, sql])
        #expect(result.status == 0, "sqlite3 \(sql): \(result.stderr)")
    }

    func sqliteValue(_ sql: String) throws -> String {
        let result = try Kura.runProgram(URL(fileURLWithPath: "/usr/bin/sqlite3"), [catalogPath, sql])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A copy of this catalog in a new directory, to tamper with one way while keeping the original.
    func copy() throws -> CatalogFixture {
        let other = try CatalogFixture()
        try FileManager.default.createDirectory(atPath: other.directory.appending("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: catalogPath, toPath: other.catalogPath)
        other.now = now
        return other
    }
}

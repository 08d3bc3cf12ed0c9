import Foundation
import Testing

/// Issue 15 item 8: a host signs unattended tape writes with a key sealed under a 0600 host secret, and never
/// a step that needs a person.
@Suite struct MachineSignerTests {
    /// Writes the host secret to a file with `mode`.
    static func hostSecret(in directory: TemporaryDirectory, mode: Int) throws -> String {
        let path = directory.appending("db01.secret")
        try "db01 host secret 7f3a9c\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static let addMachine = ["custodian", "add", "db01", "--machine", "--title", "Backup host", "--org", "ACME Data Center"]

    /// kura with the repository and the catalog, the host secret file, and no custodian passphrase anywhere.
    static func unattended(_ f: MediaFixture, _ arguments: [String], secret: String) throws -> KuraResult {
        var environment = f.repository.environment
        environment["KURA_CATALOG"] = f.catalog.catalogPath
        environment["KURA_CUSTODIAN_PASSWORD_FILE"] = secret
        if let now = f.catalog.now { environment["KURA_NOW"] = now }
        return try Kura.run(arguments, environment: environment)
    }

    @Test func secretFileReadableByOthersIsRefused() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        let loose = try Self.hostSecret(in: f.directory, mode: 0o644)
        let refused = try f.kura(Self.addMachine + ["--custodian-password-file", loose])
        #expect(refused.status == 64 && refused.stderr.contains("mode 644") && refused.stderr.contains("chmod 600"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try f.custodianStatuses()["db01"] == nil)

        let missing = try f.kura(Self.addMachine, passphrase: "typed passphrase")
        #expect(missing.status == 64 && missing.stderr.contains("KURA_CUSTODIAN_PASSWORD_FILE"))
        #expect(try f.custodianStatuses()["db01"] == nil)
    }

    @Test func machineIsNeverAFounderAndWaitsForTwoApprovals() throws {
        let f = try CatalogFixture()
        let secret = try Self.hostSecret(in: f.directory, mode: 0o600)
        try f.ok(Self.addMachine + ["--custodian-password-file", secret])
        try f.addCustodians(["alice", "bob"])
        #expect(try f.custodianStatuses() == ["db01": "pending", "alice": "active", "bob": "active"])
        try f.ok(["custodian", "approve", "db01", "--as", "alice"])
        try f.ok(["custodian", "approve", "db01", "--as", "bob"])
        #expect(try f.custodianStatuses()["db01"] == "active")
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func unattendedWriteWithOnlyTheSecretFileAndRefusalsOfPersonSteps() throws {
        let f = try MediaFixture()
        f.catalog.now = "2030-01-01T00:00:00Z"
        let secret = try Self.hostSecret(in: f.catalog.directory, mode: 0o600)
        #expect(try Self.unattended(f, Self.addMachine, secret: secret).status == 0)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: Data("INSERT 1;\n".utf8)).status == 0)
        let write = ["media", "write", "TAPE01", "latest", "--device", f.device, "--retain-days", "30", "--as", "db01"]

        let pending = try Self.unattended(f, write, secret: secret)
        #expect(pending.status == 20 && pending.stderr.contains("signer-must-be-active"))
        #expect(try f.kura(["custodian", "approve", "db01", "--as", "alice"]).status == 0)
        #expect(try f.kura(["custodian", "approve", "db01", "--as", "bob"]).status == 0)

        // No KURA_CUSTODIAN_PASSWORD, no terminal: the host secret file alone opens the key.
        let written = try Self.unattended(f, write, secret: secret)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try f.catalog.sqliteValue("SELECT recorded_by FROM backup_set_copies") == "db01")
        #expect(try f.kura(["media", "show", "TAPE01"]).output.contains("by db01 (machine)"))
        let verified = try Self.unattended(f, ["media", "verify", "TAPE01", "--device", f.device, "--as", "db01"], secret: secret)
        #expect(verified.status == 0, "\(verified.stderr)")

        // A wrong secret is a wrong passphrase.
        let wrong = f.catalog.directory.appending("wrong.secret")
        try "not the secret\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: wrong)
        #expect(try Self.unattended(f, ["media", "verify", "TAPE01", "--device", f.device, "--as", "db01"], secret: wrong).status == 12)

        // Steps that need a person.
        func refused(_ arguments: [String], _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try Self.unattended(f, arguments + ["--as", "db01"], secret: secret)
            #expect(result.status == 20, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains("refused by rule \(rule)"), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        }
        f.catalog.now = "2030-03-01T00:00:00Z"
        try refused(["media", "dispose", "request", "TAPE01", "--reason", "end of life"], "machine-cannot-sign-disposal")
        #expect(try f.kura(["media", "dispose", "request", "TAPE01", "--reason", "end of life", "--as", "alice"]).status == 0)
        try refused(["media", "dispose", "approve", "TAPE01"], "machine-cannot-sign-disposal")
        try refused(["media", "dispose", "cancel", "TAPE01", "--reason", "no"], "machine-cannot-sign-disposal")
        #expect(try f.kura(["media", "dispose", "approve", "TAPE01", "--as", "bob"]).status == 0)
        let record = ["media", "dispose", "record", "TAPE01", "--method", "destroy", "--technique", "degauss and shred",
                      "--tool", "Garner TS-1", "--verification", "visual", "--destination", "recycler"]
        try refused(record, "machine-cannot-sign-disposal")
        #expect(try f.kura(record + ["--as", "alice"]).status == 0)
        try refused(["media", "dispose", "validate", "TAPE01"], "machine-cannot-sign-disposal")
        #expect(try f.kura(["media", "dispose", "validate", "TAPE01", "--as", "bob"]).status == 0)

        #expect(try f.kura(["media", "add", "TAPE02", "--type", "LTO-9", "--as", "alice"]).status == 0)
        #expect(try f.kura(["media", "hold", "TAPE02", "--reason", "litigation", "--as", "alice"]).status == 0)
        try refused(["media", "release", "TAPE02"], "machine-cannot-release-hold")
        try refused(["media", "move", "TAPE02", "--to", "offsite:vault", "--via", "Nittsu"], "machine-signs-machine-work")

        let carol = f.catalog.directory.appending("carol.secret")
        try "carol passphrase\n".write(toFile: carol, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: carol)
        #expect(try Self.unattended(f, ["custodian", "add", "carol", "--title", "T", "--org", "O"], secret: carol).status == 0)
        try refused(["custodian", "approve", "carol"], "machine-cannot-approve-enrolment")

        let certificate = try f.kura(["media", "certificate", "TAPE01"]).output
        #expect(certificate.contains("signed by db01 (machine)"), "\(certificate)")
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }
}

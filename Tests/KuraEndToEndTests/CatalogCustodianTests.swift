import Foundation
import Testing

/// Acceptance 1: enrolment needs two approvals by others; pending and revoked custodians sign nothing.
@Suite struct CatalogCustodianTests {
    @Test func thirdCustodianSignsOnlyAfterTwoOtherApprovals() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["custodian", "add", "carol", "--title", "Operator", "--org", "ACME"], passphraseOf: "carol")
        #expect(try f.custodianStatuses() == ["alice": "active", "bob": "active", "carol": "pending"])

        let pending = try f.kura(["media", "add", "SN1", "--type", "LTO-9", "--as", "carol"])
        #expect(pending.status == 20)
        #expect(pending.stderr.contains("signer-must-be-active"))

        let selfApproval = try f.kura(["custodian", "approve", "carol", "--as", "carol"])
        #expect(selfApproval.status == 20)
        #expect(selfApproval.stderr.contains("no-self-approval"))

        try f.ok(["custodian", "approve", "carol", "--as", "alice"])
        #expect(try f.custodianStatuses()["carol"] == "pending")
        #expect(try f.kura(["media", "add", "SN1", "--type", "LTO-9", "--as", "carol"]).status == 20)
        let twice = try f.kura(["custodian", "approve", "carol", "--as", "alice"])
        #expect(twice.status == 20)
        #expect(twice.stderr.contains("one-approval-per-approver"))

        try f.ok(["custodian", "approve", "carol", "--as", "bob"])
        #expect(try f.custodianStatuses()["carol"] == "active")
        try f.ok(["media", "add", "SN1", "--type", "LTO-9", "--as", "carol"])
    }

    @Test func revokedCustodianSignsNothingButTheirPastStaysValid() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob", "carol"])
        try f.ok(["media", "add", "SN1", "--type", "LTO-9", "--as", "carol"])
        try f.ok(["custodian", "revoke", "carol", "--reason", "left the company", "--as", "alice"])

        let revoked = try f.kura(["media", "hold", "SN1", "--reason", "audit", "--as", "carol"])
        #expect(revoked.status == 20)
        #expect(revoked.stderr.contains("signer-must-be-active") && revoked.stderr.contains("revoked"))
        #expect(try f.kura(["custodian", "approve", "alice", "--as", "carol"]).status == 20)
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func anotherPersonsPassphraseDoesNotSign() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        let wrong = try f.kura(["media", "add", "SN1", "--type", "HDD", "--as", "alice"], passphrase: CatalogFixture.passphrase(of: "bob"))
        #expect(wrong.status == 12)
        #expect(wrong.stderr.contains("wrong passphrase"))
        let unknown = try f.kura(["media", "add", "SN1", "--type", "HDD", "--as", "mallory"])
        #expect(unknown.status == 1)
        #expect(try f.kura(["media", "list", "--json"]).output.contains("SN1") == false)
    }
}

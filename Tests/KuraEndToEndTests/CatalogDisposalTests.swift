import Foundation
import Testing

/// Acceptance 2 and 3: two-person disposal, and the rules that refuse it while a medium still matters.
@Suite struct CatalogDisposalTests {
    @Test func twoPersonDisposalOfABlankMedium() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob", "carol", "dave"])
        try f.ok(["media", "add", "BLANK1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "BLANK1", "--reason", "end of life", "--as", "alice"])

        let selfApproval = try f.kura(["media", "dispose", "approve", "BLANK1", "--as", "alice"])
        #expect(selfApproval.status == 20)
        #expect(selfApproval.stderr.contains("two-person-approval"))

        let wrongPassphrase = try f.kura(["media", "dispose", "approve", "BLANK1", "--as", "bob"], passphrase: "not bob's")
        #expect(wrongPassphrase.status == 12)
        try f.ok(["media", "dispose", "approve", "BLANK1", "--as", "bob"])
        #expect(try f.mediumState("BLANK1") == "disposal-approved")

        try f.ok(["media", "dispose", "record", "BLANK1", "--method", "purge", "--technique", "overwrite", "--tool", "ltfs-erase 2.4",
                  "--verification", "full read-back", "--destination", "recycler", "--as", "carol"])
        let selfValidation = try f.kura(["media", "dispose", "validate", "BLANK1", "--as", "carol"])
        #expect(selfValidation.status == 20)
        #expect(selfValidation.stderr.contains("two-person-sanitization"))
        #expect(try f.mediumState("BLANK1") == "disposal-approved")

        try f.ok(["media", "dispose", "validate", "BLANK1", "--as", "dave"])
        #expect(try f.mediumState("BLANK1") == "disposed")
        #expect(try f.kura(["audit", "verify"]).status == 0)
    }

    @Test func retainedSetRefusesDisposalUntilItsDatePasses() throws {
        let f = try CatalogFixture()
        f.now = "2029-06-01T00:00:00Z"
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "RET1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "record-set", "RET1", "--repository-id", "repo1", "--snapshot", "snap1234", "--bytes", "1000",
                  "--retain-until", "2030-01-01", "--as", "alice"])
        let refused = try f.kura(["media", "dispose", "request", "RET1", "--reason", "old", "--as", "alice"])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains("retention-not-passed"))
        #expect(refused.stderr.contains("snap1234") && refused.stderr.contains("2030-01-01"))

        f.now = "2030-01-02T00:00:00Z"
        try f.ok(["media", "dispose", "request", "RET1", "--reason", "old", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "RET1", "--as", "bob"])
    }

    @Test func setWithPastRetainUntilDoesNotBlockDisposal() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "OLD1", "--type", "LTO-8", "--as", "alice"])
        try f.ok(["media", "record-set", "OLD1", "--repository-id", "repo1", "--snapshot", "s1", "--bytes", "5",
                  "--retain-until", "2001-01-01", "--written-at", "2000-01-01", "--full", "--as", "alice"])
        #expect(try f.mediumState("OLD1") == "full")
        try f.ok(["media", "dispose", "request", "OLD1", "--reason", "retention over", "--as", "bob"])
    }

    @Test func holdRefusesDisposalUntilAnotherCustodianReleasesIt() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "HOLD1", "--type", "HDD", "--as", "alice"])
        try f.ok(["media", "hold", "HOLD1", "--reason", "litigation 2025-17", "--as", "alice"])
        let refused = try f.kura(["media", "dispose", "request", "HOLD1", "--reason", "old", "--as", "bob"])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains("on-hold") && refused.stderr.contains("litigation 2025-17"))

        let ownRelease = try f.kura(["media", "release", "HOLD1", "--as", "alice"])
        #expect(ownRelease.status == 20)
        #expect(ownRelease.stderr.contains("two-person-hold-release"))
        try f.ok(["media", "release", "HOLD1", "--as", "bob"])
        try f.ok(["media", "dispose", "request", "HOLD1", "--reason", "old", "--as", "bob"])
    }

    @Test func holdPlacedAfterTheRequestRefusesTheApproval() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "HOLD2", "--type", "HDD", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "HOLD2", "--reason", "old", "--as", "alice"])
        try f.ok(["media", "hold", "HOLD2", "--reason", "audit", "--as", "alice"])
        let refused = try f.kura(["media", "dispose", "approve", "HOLD2", "--as", "bob"])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains("on-hold"))
    }

    @Test func inTransitAndOffsiteMediaCannotBeDisposedOf() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "MOVE1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "move", "MOVE1", "--to", "offsite:iron-vault", "--via", "SecureCourier", "--as", "alice"])
        let inTransit = try f.kura(["media", "dispose", "request", "MOVE1", "--reason", "old", "--as", "alice"])
        #expect(inTransit.status == 20)
        #expect(inTransit.stderr.contains("not-onsite") && inTransit.stderr.contains("in transit"))

        let ownReceipt = try f.kura(["media", "receive", "MOVE1", "--as", "alice"])
        #expect(ownReceipt.status == 20)
        #expect(ownReceipt.stderr.contains("two-person-custody"))
        try f.ok(["media", "receive", "MOVE1", "--as", "bob"])
        let offsite = try f.kura(["media", "dispose", "request", "MOVE1", "--reason", "old", "--as", "alice"])
        #expect(offsite.status == 20)
        #expect(offsite.stderr.contains("not-onsite") && offsite.stderr.contains("offsite:iron-vault"))

        try f.ok(["media", "move", "MOVE1", "--to", "onsite:main", "--via", "SecureCourier", "--as", "bob"])
        try f.ok(["media", "receive", "MOVE1", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "MOVE1", "--reason", "old", "--as", "alice"])
    }

    @Test func degaussingATapeIsADestroyNeverAReuse() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        try f.ok(["media", "add", "DG1", "--type", "LTO-9", "--as", "alice"])
        try f.ok(["media", "dispose", "request", "DG1", "--reason", "old", "--as", "alice"])
        try f.ok(["media", "dispose", "approve", "DG1", "--as", "bob"])
        let purge = try f.kura(["media", "dispose", "record", "DG1", "--method", "purge", "--technique", "degauss",
                                "--tool", "Garner TS-1 2.0", "--verification", "visual", "--destination", "internal-reuse", "--as", "alice"])
        #expect(purge.status == 20)
        #expect(purge.stderr.contains("degauss-destroys-tape"))
        try f.ok(["media", "dispose", "record", "DG1", "--method", "destroy", "--technique", "degauss",
                  "--tool", "Garner TS-1 2.0", "--verification", "visual", "--destination", "recycler", "--as", "alice"])
    }
}

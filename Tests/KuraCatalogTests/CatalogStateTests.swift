import Foundation
import Testing
@testable import KuraCatalog

/// Applies changes to an in-memory state the way replay does, without keys or a file.
struct StateDriver {
    var state = CatalogState()
    var time = "2025-01-01T00:00:00Z"

    mutating func apply(_ payload: any EventPayload, as actor: String) throws {
        let change = CatalogChange(payload)
        let event = EventRecord(sequence: state.eventCount + 1, occurredAt: time, kind: change.kind, actor: actor,
                                subject: change.subject, payload: try change.encodedPayload(), previousHash: state.headHash,
                                hash: String(format: "%064d", state.eventCount + 1), signature: "")
        try state.apply(change, as: event)
    }

    static let key = SealedSigningKey(publicKey: String(repeating: "ab", count: 32), sealedSecretKey: "", kdfSalt: "",
                                      kdfOpsLimit: 1, kdfMemLimit: 8192)

    mutating func enrol(_ names: String...) throws {
        for name in names {
            try apply(CustodianAdded(name: name, title: "t", organization: "o", phone: nil, location: nil, key: Self.key), as: name)
        }
    }

    /// alice and bob active, a medium S1 onsite.
    static func withMedium(_ serial: String = "S1", type: String = "LTO-9") throws -> StateDriver {
        var driver = StateDriver()
        try driver.enrol("alice", "bob")
        try driver.apply(MediumAdded(serial: serial, mediaType: type, classification: "c", location: "onsite:main"), as: "alice")
        return driver
    }
}

func refusal(_ body: () throws -> Void) -> Rule? {
    do {
        try body()
        return nil
    } catch let error as CatalogError {
        if case .ruleRefused(let rule) = error.code { return rule }
        return nil
    } catch {
        return nil
    }
}

@Suite struct CatalogStateTests {
    @Test func firstTwoCustodiansAreActiveLaterOnesNeedTwoOtherApprovals() throws {
        var d = StateDriver()
        try d.enrol("alice", "bob", "carol")
        #expect(d.state.custodians.mapValues(\.status) == ["alice": .active, "bob": .active, "carol": .pending])
        #expect(refusal { try d.apply(CustodianApproved(name: "carol"), as: "carol") } == .noSelfApproval)
        try d.apply(CustodianApproved(name: "carol"), as: "alice")
        #expect(d.state.custodians["carol"]?.status == .pending)
        #expect(refusal { try d.apply(CustodianApproved(name: "carol"), as: "alice") } == .oneApprovalPerApprover)
        #expect(refusal { try d.apply(MediumAdded(serial: "X", mediaType: "HDD", classification: "c", location: "onsite:a"),
                                      as: "carol") } == .signerMustBeActive)
        try d.apply(CustodianApproved(name: "carol"), as: "bob")
        #expect(d.state.custodians["carol"]?.status == .active)
        try d.apply(CustodianRevoked(name: "carol", reason: nil), as: "alice")
        #expect(refusal { try d.apply(CustodianApproved(name: "alice"), as: "carol") } == .signerMustBeActive)
        #expect(refusal { try d.apply(CustodianAdded(name: "dave", title: "t", organization: "o", phone: nil, location: nil,
                                                     key: StateDriver.key), as: "alice") } == .selfEnrolment)
    }

    @Test func aRefusedChangeLeavesTheStateUntouched() throws {
        var d = try StateDriver.withMedium()
        let before = d.state
        #expect(refusal { try d.apply(DisposalApproved(serial: "S1"), as: "bob") } == .stateTransition)
        #expect(d.state.media == before.media && d.state.eventCount == before.eventCount)
    }

    @Test func disposalIsJudgedByRetentionHoldsAndLocation() throws {
        var d = try StateDriver.withMedium()
        try d.apply(BackupSetRecorded(serial: "S1", repositoryID: "r", snapshotIDs: ["s"], sources: [], bytes: 1,
                                      retainUntil: "2026-01-01T00:00:00Z", keySlotIDs: [], keyDescription: "k",
                                      writtenAt: d.time, mediumFull: true), as: "alice")
        #expect(d.state.media["S1"]?.state == .full)
        #expect(refusal { try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice") } == .retentionNotPassed)
        d.time = "2026-01-01T00:00:00Z"
        try d.apply(HoldPlaced(serial: "S1", reason: "legal"), as: "alice")
        #expect(refusal { try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice") } == .onHold)
        try d.apply(HoldReleased(serial: "S1", hold: 5), as: "bob")
        try d.apply(MediumMoved(serial: "S1", to: "offsite:v", courier: "c"), as: "alice")
        #expect(refusal { try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice") } == .notOnsite)
        try d.apply(MediumReceived(serial: "S1"), as: "bob")
        #expect(refusal { try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice") } == .notOnsite)
        try d.apply(MediumMoved(serial: "S1", to: "onsite:main", courier: "c"), as: "bob")
        try d.apply(MediumReceived(serial: "S1"), as: "alice")
        try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice")
        #expect(refusal { try d.apply(DisposalApproved(serial: "S1"), as: "alice") } == .twoPersonApproval)
        try d.apply(DisposalApproved(serial: "S1"), as: "bob")
        #expect(refusal { try d.apply(SanitizationValidated(serial: "S1"), as: "bob") } == .sanitizationNotRecorded)
        try d.apply(SanitizationRecorded(serial: "S1", method: .destroy, technique: "degauss", tool: "t 1", verification: "v",
                                         destination: .recycler, postClassification: "u"), as: "alice")
        #expect(refusal { try d.apply(SanitizationValidated(serial: "S1"), as: "alice") } == .twoPersonSanitization)
        try d.apply(SanitizationValidated(serial: "S1"), as: "bob")
        #expect(d.state.media["S1"]?.state == .disposed)
        #expect(d.state.copies.values.allSatisfy { !$0.isPresent })
        #expect(refusal { try d.apply(MediumLost(serial: "S1"), as: "alice") } == .disposedIsTerminal)
        #expect(refusal { try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice") } == .disposedOrLost)
    }

    @Test func degaussedTapesAreDestroyedAndDestroyedMediaAreNotReused() throws {
        for (type, technique, method, destination, rule) in [
            ("LTO-8", "degauss", SanitizationMethod.purge, SanitizationDestination.recycler, Rule.degaussDestroysTape),
            ("LTO-8", "Degaussing", .destroy, .internalReuse, .degaussDestroysTape),
            ("HDD", "shred", .destroy, .externalReuse, .destroyedIsNotReusable),
        ] as [(String, String, SanitizationMethod, SanitizationDestination, Rule)] {
            var d = try StateDriver.withMedium(type: type)
            try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice")
            try d.apply(DisposalApproved(serial: "S1"), as: "bob")
            #expect(refusal { try d.apply(SanitizationRecorded(serial: "S1", method: method, technique: technique, tool: "t",
                                                               verification: "v", destination: destination, postClassification: "u"),
                                          as: "alice") } == rule)
        }
    }

    @Test func lostReturnsToItsPriorStateAndSanitizedReturnsToNew() throws {
        var d = try StateDriver.withMedium()
        try d.apply(MediumQuarantined(serial: "S1", reason: "errors"), as: "alice")
        try d.apply(MediumLost(serial: "S1"), as: "alice")
        #expect(refusal { try d.apply(MediumMoved(serial: "S1", to: "offsite:v", courier: "c"), as: "alice") } == .stateTransition)
        try d.apply(MediumFound(serial: "S1"), as: "bob")
        #expect(d.state.media["S1"]?.state == .quarantined)
        try d.apply(DisposalRequested(serial: "S1", reason: "r"), as: "alice")
        try d.apply(DisposalApproved(serial: "S1"), as: "bob")
        try d.apply(SanitizationRecorded(serial: "S1", method: .purge, technique: "overwrite", tool: "t", verification: "v",
                                         destination: .internalReuse, postClassification: "u"), as: "alice")
        try d.apply(SanitizationValidated(serial: "S1"), as: "bob")
        #expect(d.state.media["S1"]?.state == .sanitized)
        try d.apply(MediumReused(serial: "S1"), as: "alice")
        #expect(d.state.media["S1"]?.state == .new)
    }

    @Test func inventoryFindsMissingUnexpectedAndMisplaced() throws {
        var d = try StateDriver.withMedium()
        try d.apply(MediumAdded(serial: "S2", mediaType: "HDD", barcode: "B2", classification: "c", location: "onsite:main"), as: "alice")
        try d.apply(MediumAdded(serial: "S3", mediaType: "HDD", classification: "c", location: "offsite:v"), as: "alice")
        let result = d.state.compareInventory(at: "onsite:main", scanned: ["B2", "S3", "NOPE", "B2"])
        #expect(result.present == ["S2"] && result.missing == ["S1"] && result.unexpected == ["NOPE"] && result.misplaced == ["S3"])
    }
}

/// The catalog's rules, by the name a refusal prints.
public enum Rule: String, Sendable, CaseIterable {
    // Custodians
    case custodianNameTaken = "custodian-name-unique"
    case selfEnrolment = "self-enrolment"
    case signerMustBeActive = "signer-must-be-active"
    case noSelfApproval = "no-self-approval"
    case oneApprovalPerApprover = "one-approval-per-approver"
    case approveOnlyPending = "approve-only-pending"
    case alreadyRevoked = "already-revoked"

    // Machine signers (hosts that sign unattended work)
    case machineCannotSignDisposal = "machine-cannot-sign-disposal"
    case machineCannotReleaseHold = "machine-cannot-release-hold"
    case machineCannotApproveEnrolment = "machine-cannot-approve-enrolment"
    case machineSignsMachineWork = "machine-signs-machine-work"

    // Trust anchor (identities vouched for by the organisation's CA)
    case anchorAtCreation = "anchor-at-creation"
    case certificateRequired = "certificate-required"
    case certificateNeedsAnchor = "certificate-needs-anchor"
    case certificateTrusted = "certificate-trusted"
    case certificateKeyPossession = "certificate-key-possession"
    case oneCustodianPerCertificate = "one-custodian-per-certificate"

    // Media and their states
    case serialUnique = "serial-unique"
    case barcodeUnique = "barcode-unique"
    case stateTransition = "state-transition"
    case disposedIsTerminal = "disposed-is-terminal"
    case amendMatchesMedium = "amend-matches-medium"

    // Custody and holds
    case alreadyInTransit = "already-in-transit"
    case notInTransit = "not-in-transit"
    case sameLocation = "move-to-another-location"
    case twoPersonCustody = "two-person-custody"
    case noActiveHold = "no-active-hold"
    case twoPersonHoldRelease = "two-person-hold-release"

    // Disposal (NIST SP 800-88, ISO 27001 A.7.10, A.7.14)
    case retentionNotPassed = "retention-not-passed"
    case onHold = "on-hold"
    case notOnsite = "not-onsite"
    case disposedOrLost = "not-disposed-or-lost"
    case twoPersonApproval = "two-person-approval"
    case twoPersonSanitization = "two-person-sanitization"
    case sanitizationNotRecorded = "sanitization-recorded-first"
    case degaussDestroysTape = "degauss-destroys-tape"
    case destroyedIsNotReusable = "destroyed-is-not-reusable"
    case certificateNeedsValidation = "certificate-needs-validation"
    case cancelBeforeSanitization = "cancel-before-sanitization"

    // Sources
    case retireActiveSource = "retire-active-source"

    // Time
    case clockNotBackwards = "clock-not-backwards"
}

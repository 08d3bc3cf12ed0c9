extension EventRecord {
    /// One line saying what the event did, for `kura audit log` and `kura media show`.
    public var summary: String {
        guard let change = try? CatalogChange.decode(self) else { return "\(kind) \(subject) (unreadable payload)" }
        switch change.payload {
        case let p as CatalogAnchored: return "catalog created with trust anchor \(p.authority)"
        case let p as CustodianAdded:
            return "custodian \(p.name) added (\(p.title), \(p.organization))"
                + (p.certificate.flatMap { try? CustodianCertificate(pem: $0, of: p.name) }.map { ", certificate \($0.subject)" } ?? "")
        case let p as CustodianApproved: return "custodian \(p.name) approved"
        case let p as CustodianRevoked: return "custodian \(p.name) revoked" + (p.reason.map { ": \($0)" } ?? "")
        case let p as MediumAdded: return "medium \(p.serial) added (\(p.mediaType)) at \(p.location)"
        case let p as MediumMoved: return "medium \(p.serial) handed to \(p.courier) for \(p.to)"
        case let p as MediumReceived: return "medium \(p.serial) received"
        case let p as HoldPlaced: return "hold on medium \(p.serial): \(p.reason)"
        case let p as HoldReleased: return "hold \(p.hold) on medium \(p.serial) released"
        case let p as BackupSetRecorded:
            return "backup set \(p.snapshotIDs.joined(separator: ",")) of repository \(p.repositoryID) on medium \(p.serial), "
                + "\(p.bytes) bytes, retained until \(p.retainUntil)" + (p.mediumFull ? "; medium full" : "")
        case let p as MediumQuarantined: return "medium \(p.serial) quarantined: \(p.reason)"
        case let p as MediumLost: return "medium \(p.serial) reported lost" + (p.note.map { ": \($0)" } ?? "")
        case let p as MediumFound: return "medium \(p.serial) found" + (p.location.map { " at \($0)" } ?? "")
        case let p as DisposalRequested: return "disposal of medium \(p.serial) requested: \(p.reason)"
        case let p as DisposalApproved: return "disposal of medium \(p.serial) approved"
        case let p as SanitizationRecorded:
            return "medium \(p.serial) sanitized: \(p.method.rawValue) by \(p.technique) with \(p.tool), for \(p.destination.rawValue)"
        case let p as SanitizationValidated: return "sanitization of medium \(p.serial) validated"
        case let p as MediumReused: return "medium \(p.serial) returned to use as new"
        case let p as InventoryTaken: return "inventory of \(p.location): \(p.scanned.count) scanned"
        case let p as MediumVerified:
            return "medium \(p.serial) verified: \(p.passed ? "pass" : "FAIL")" + (p.problems.first.map { " (\($0))" } ?? "")
        case let p as SnapshotHoldPlaced: return "hold on snapshot \(p.snapshotID.prefix(8)): \(p.reason)"
        case let p as SnapshotHoldReleased: return "hold \(p.hold) on snapshot \(p.snapshotID.prefix(8)) released"
        case let p as BackupRecorded:
            return "backup \(p.snapshotID.prefix(8)) of \(p.sources.joined(separator: " ")) on \(p.host): \(p.result.rawValue), \(p.bytes) bytes"
        case let p as DrillRecorded:
            return "drill of snapshot \(p.snapshotID.prefix(8)) from \(p.medium.map { "medium \($0)" } ?? "the repository"): "
                + "\(p.result.rawValue), \(p.bytes) bytes in \(p.milliseconds / 1000).\(p.milliseconds % 1000 / 100) s"
        case let p as SnapshotCopied:
            return "snapshot \(p.sourceSnapshotID.prefix(8)) of repository \(p.sourceRepositoryID.prefix(8)) copied to repository "
                + "\(p.destinationRepositoryID.prefix(8)) as \(p.destinationSnapshotID.prefix(8)): \(p.bytesSent) bytes sent"
        case let p as SourceRetired:
            return "source \(p.name)" + (p.host.map { " on host \($0)" } ?? "") + " retired" + (p.reason.map { ": \($0)" } ?? "")
        case let p as DisposalCancelled: return "disposal \(p.disposal) of medium \(p.serial) cancelled: \(p.reason)"
        case let p as MediumAmended:
            let changes = p.changes.map { "\($0.field.column) \($0.old.map { "'\($0)'" } ?? "(none)") -> \($0.new.map { "'\($0)'" } ?? "(none)")" }
            return "medium \(p.serial) amended: \(changes.joined(separator: ", ")): \(p.reason)"
        default: return "\(kind) \(subject)"
        }
    }
}

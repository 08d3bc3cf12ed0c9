import Foundation

extension CatalogState {
    /// A request, or its approval, is withdrawn while nothing has been done to the medium yet: once a sanitization
    /// is recorded the data may be gone, and only validation (or a new medium record) tells the truth.
    /// Any active custodian may withdraw it (stopping a disposal never loses data); the medium returns to the
    /// state it was in when the disposal was requested.
    mutating func cancelDisposal(_ p: DisposalCancelled, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        guard !p.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CatalogError(.invalid, "give a --reason") }
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: [.disposalRequested, .disposalApproved], to: "have its disposal cancelled")
        guard var disposal = openDisposal(of: p.serial), disposal.id == p.disposal else {
            throw CatalogError(.notFound, "medium \(p.serial) has no open disposal \(p.disposal)")
        }
        if let performer = disposal.performedBy {
            throw CatalogError.refused(.cancelBeforeSanitization, "\(performer) recorded the sanitization of medium "
                + "\(p.serial) at \(disposal.performedAt ?? "?"); a disposal can be cancelled only before that")
        }
        guard let before = stateBeforeDisposal[disposal.id]?.state else {
            throw CatalogError(.verificationFailed, "disposal \(disposal.id) of medium \(p.serial) has no state to return to")
        }
        disposal.cancelledBy = context.actor
        disposal.cancelledAt = context.timeText
        disposal.cancelReason = p.reason
        disposal.cancelEvent = context.sequence
        disposals[disposal.id] = disposal
        touch(p.serial, context) { $0.state = before }
    }

    /// Corrects registration fields. Each change must name the value the log holds now (so an amendment cannot
    /// be replayed onto another value), change it, and keep barcodes unique. A disposed medium, or one whose
    /// sanitization is recorded, keeps the description its disposal was judged on.
    mutating func amendMedium(_ p: MediumAmended, _ context: EventContext) throws {
        try requireActiveSigner(context.actor)
        try CatalogText.requireSingleLine(p.reason, what: "reason")
        guard !p.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CatalogError(.invalid, "give a --reason") }
        let medium = try requireMedium(p.serial)
        try requireState(medium, in: MediumState.allCases.filter { $0 != .disposed }, to: "be amended")
        if let disposal = openDisposal(of: p.serial), let performer = disposal.performedBy {
            throw CatalogError.refused(.stateTransition, "\(performer) recorded the sanitization of medium \(p.serial); "
                + "it cannot be amended until that is validated")
        }
        guard !p.changes.isEmpty else { throw CatalogError(.invalid, "an amendment of medium \(p.serial) changes nothing") }
        guard Set(p.changes.map(\.field)).count == p.changes.count else {
            throw CatalogError(.invalid, "an amendment of medium \(p.serial) names a field twice")
        }
        var amended = medium
        for change in p.changes {
            try CatalogText.requireSingleLine(change.new, what: change.field.column)
            guard medium[change.field] == change.old else {
                throw CatalogError.refused(.amendMatchesMedium, "medium \(p.serial)'s \(change.field.column) is "
                    + "\(Self.quoted(medium[change.field])), not \(Self.quoted(change.old)) as the amendment says")
            }
            guard change.old != change.new else {
                throw CatalogError(.invalid, "medium \(p.serial)'s \(change.field.column) is already \(Self.quoted(change.new))")
            }
            if change.field == .mediaType, change.new?.isEmpty != false {
                throw CatalogError(.invalid, "medium \(p.serial) needs a media type")
            }
            if change.field == .barcode, let barcode = change.new,
               let other = media.values.first(where: { $0.serial != p.serial && ($0.barcode == barcode || $0.serial == barcode) }) {
                throw CatalogError.refused(.barcodeUnique, "barcode \(barcode) already identifies medium \(other.serial)")
            }
            amended[change.field] = change.new
        }
        touch(p.serial, context) { $0 = amended }
    }

    private static func quoted(_ value: String?) -> String { value.map { "'\($0)'" } ?? "not recorded" }
}

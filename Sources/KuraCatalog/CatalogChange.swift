import Foundation

/// A change to the catalog, before it is signed into an event.
public struct CatalogChange: Sendable {
    public let payload: any EventPayload

    public init(_ payload: any EventPayload) { self.payload = payload }

    public var kind: String { type(of: payload).kind }
    public var subject: String { payload.subject }

    /// The payload as stored in `events.payload`: compact JSON with sorted keys.
    func encodedPayload() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }

    static let payloadTypes: [String: any EventPayload.Type] = Dictionary(uniqueKeysWithValues: ([
        CatalogAnchored.self, CustodianAdded.self, CustodianApproved.self, CustodianRevoked.self,
        MediumAdded.self, MediumMoved.self, MediumReceived.self, HoldPlaced.self, HoldReleased.self,
        BackupSetRecorded.self, MediumQuarantined.self, MediumLost.self, MediumFound.self,
        DisposalRequested.self, DisposalApproved.self, SanitizationRecorded.self, SanitizationValidated.self,
        MediumReused.self, InventoryTaken.self, MediumVerified.self,
        SnapshotHoldPlaced.self, SnapshotHoldReleased.self, BackupRecorded.self, DrillRecorded.self,
        SnapshotCopied.self, SourceRetired.self, DisposalCancelled.self, MediumAmended.self,
    ] as [any EventPayload.Type]).map { ($0.kind, $0) })

    /// The change an event row records; throws `.verificationFailed` for an unknown kind or unreadable payload.
    static func decode(_ event: EventRecord) throws -> CatalogChange {
        guard let type = payloadTypes[event.kind] else {
            throw CatalogError(.verificationFailed, "event \(event.sequence): unknown kind '\(event.kind)'")
        }
        do {
            let payload = try JSONDecoder().decode(type, from: Data(event.payload.utf8))
            guard payload.subject == event.subject else {
                throw CatalogError(.verificationFailed, "event \(event.sequence): subject '\(event.subject)' does not match its payload")
            }
            return CatalogChange(payload)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.verificationFailed, "event \(event.sequence): unreadable payload")
        }
    }
}

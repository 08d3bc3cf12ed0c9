import Foundation
import GRDB
import KuraCrypto
import Testing
@testable import KuraCatalog

/// Builds the catalog `bench/catalog-steps` times steps on: custodians alice and bob (kura's default Argon2id
/// cost, passphrase `bench`), 100 media, then inventories of them until the log holds `KURA_BENCH_EVENTS` events,
/// every one a real signed, hash-chained event that the rules accepted and the tables project. One transaction,
/// so a 100,000-event log takes seconds, not 100,000 separate steps. Runs only when `KURA_BENCH_CATALOG` names
/// the file to create.
@Suite struct CatalogBenchFixture {
    static let path = ProcessInfo.processInfo.environment["KURA_BENCH_CATALOG"]

    @Test(.enabled(if: path != nil)) func buildBenchCatalog() throws {
        let events = Int64(ProcessInfo.processInfo.environment["KURA_BENCH_EVENTS"] ?? "100") ?? 100
        let path = try #require(Self.path)
        try? FileManager.default.removeItem(atPath: path)
        // Dated back from now, one second apart, so that the steps timed afterwards with the real clock follow them.
        var time = Date().addingTimeInterval(-Double(events) - 86_400).timeIntervalSince1970.rounded(.down)
        let catalog = try Catalog(path: path, clock: { Date(timeIntervalSince1970: time) })
        for name in ["alice", "bob"] {
            time += 1
            let created = try SealedSigningKey.create(for: name, passphrase: "bench", kdf: PasswordKey())
            try catalog.enrol(CustodianAdded(name: name, title: "bench", organization: "kura", phone: nil, location: nil,
                                             key: created.key), secretKey: created.secretKey)
        }
        let alice = try catalog.database.read { try CustodianRecord.fetchOne($0, key: "alice") }!
        let secretKey = try SealedSigningKey(alice).open(for: "alice", passphrase: "bench")
        let media = (1...100).map { String(format: "BENCH%03d", $0) }
        try catalog.database.write { db in
            let initial = try Catalog.current(.everything, db)
            var state = initial
            var serials = media.makeIterator()
            while state.eventCount < events {
                time += 1
                let payload: any EventPayload
                if let serial = serials.next() {
                    payload = MediumAdded(serial: serial, mediaType: "LTO-9", classification: "internal", location: "onsite:main")
                } else {
                    payload = InventoryTaken(location: "onsite:main", scanned: Array(media.shuffled().prefix(2)))
                }
                let change = CatalogChange(payload)
                var event = EventRecord(sequence: state.eventCount + 1, occurredAt: CatalogTime.format(Date(timeIntervalSince1970: time)),
                                        kind: change.kind, actor: "alice", subject: change.subject,
                                        payload: try change.encodedPayload(), previousHash: state.headHash, hash: "", signature: "")
                let canonical = CanonicalEvent.bytes(of: event)
                event.hash = CanonicalEvent.hash(canonical)
                event.signature = Hex.encode(try Signing.sign(canonical, secretKey: secretKey))
                try state.applyInPlace(change, as: event)
                try event.insert(db)
            }
            try state.save(comparedTo: initial, in: db)
            try ProjectionHead.record(events: state.eventCount, head: state.headHash, in: db)
        }
        #expect(try catalog.events().count == Int(events))
    }
}

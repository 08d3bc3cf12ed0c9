import Foundation
import KuraCrypto
import Testing
@testable import KuraCatalog

/// Issue 12 items 4 and 9: dates are parsed exactly, and the log's clock never goes backwards unnoticed.
@Suite struct CatalogTimeTests {
    @Test(arguments: [
        ("2030-01-01", 1_893_456_000.0),
        ("2030-01-01T00:00:00Z", 1_893_456_000),
        ("2030-01-01T09:00:00+09:00", 1_893_456_000),
        ("2029-12-31T19:30:00-04:30", 1_893_456_000),
        ("2030-01-01T00:00:00.250Z", 1_893_456_000.25),
        ("2028-02-29", 1_835_395_200),
        ("2000-02-29T23:59:59Z", 951_868_799),
        ("1970-01-01T00:00:00Z", 0),
        (" 2030-01-01 ", 1_893_456_000),
    ])
    func validTimesParseExactly(_ text: String, _ seconds: Double) {
        #expect(CatalogTime.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "2030-02-30", "2030-02-29", "2100-02-29", "2030-04-31", "2030-13-01", "2030-00-10", "2030-01-00", "2030-01-32",
        "2030-01-01T25:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T23:60:00Z", "2030-01-01T23:59:60Z",
        "2030-01-01T12:00:00", "2030-01-01T12:00Z", "2030-01-01T12:00:00+9:00", "2030-01-01T12:00:00+24:00",
        "2030-01-01T12:00:00.Z", "2030-01-01T12:00:00Zjunk", "30-01-01", "2030-1-1", "0000-01-01", "2030/01/01",
        "tomorrow", "", "２０３０-01-01",
    ])
    func impossibleOrMalformedTimesAreRejected(_ text: String) {
        #expect(CatalogTime.parse(text) == nil)
    }

    /// Every 29th day of a 400-year Gregorian cycle (leap days and century years included) parses to what the
    /// formatter printed, with and without its time of day.
    @Test func daysOfAFourHundredYearCycleRoundTripThroughFormat() {
        let start = CatalogTime.parse("2000-01-01")!
        for n in stride(from: 0, to: 146_097, by: 29) {
            let day = start + Double(n) * 86_400
            let text = CatalogTime.format(day + 3_661)
            #expect(CatalogTime.parse(text) == day + 3_661, "\(text)")
            #expect(CatalogTime.parse(String(text.prefix(10))) == day, "\(text)")
        }
    }

    @Test func retentionDatesRefuseThePastAndAbsurdSpans() throws {
        let now = CatalogTime.parse("2030-01-01T00:00:00Z")!
        #expect(try RetentionDate.resolve(until: "2030-06-01", days: nil, now: now) == CatalogTime.parse("2030-06-01"))
        #expect(try RetentionDate.resolve(until: nil, days: nil, now: now) == now + 90 * 86_400)
        #expect(try RetentionDate.resolve(until: nil, days: 36_500, now: now) == now + 36_500 * 86_400)
        for (until, days) in [("2029-12-31", nil), ("2030-02-30", nil), (nil, 36_501), (nil, -1), (nil, 99_999_999_999)] as [(String?, Int?)] {
            #expect(throws: CatalogError.self) { try RetentionDate.resolve(until: until, days: days, now: now) }
        }
        do {
            _ = try RetentionDate.resolve(until: "2030-02-30", days: nil, now: now)
        } catch let error as CatalogError {
            #expect(error.code == .invalid && error.message.contains("'2030-02-30'"))
        }
        // By hand: a set written long ago may have a retain-until in the past; one written now may not.
        #expect(try RetentionDate.resolveRecorded(until: "2001-01-01", writtenAt: "2000-01-01", now: now).retainUntil
            == CatalogTime.parse("2001-01-01"))
        #expect(throws: CatalogError.self) { try RetentionDate.resolveRecorded(until: "2001-01-01", writtenAt: nil, now: now) }
        #expect(throws: CatalogError.self) { try RetentionDate.resolveRecorded(until: "2031-01-01", writtenAt: "2030-06-01", now: now) }
        #expect(throws: CatalogError.self) { try RetentionDate.resolveRecorded(until: "2001-01-01", writtenAt: "2002-01-01", now: now) }
    }

    @Test func theCatalogRefusesToAppendAnEventDatedBeforeTheNewestOne() throws {
        let f = try CatalogFile()
        try f.enrol("alice")
        try f.enrol("bob")
        try f.append(MediumAdded(serial: "S1", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        let head = try f.catalog.events().count
        f.clock -= 4 * 60 + 60  // the append adds 60 s: 4 min back, within the skew
        try f.append(MediumAdded(serial: "S2", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        f.clock -= 60 * 60 + 60
        do {
            try f.append(MediumAdded(serial: "S3", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
            Issue.record("an event an hour before the newest was appended")
        } catch let error as CatalogError {
            #expect(error.code == .ruleRefused(.clockNotBackwards))
            #expect(error.message.contains("event \(head)"))
        }
        #expect(try f.catalog.events().count == head + 1)
        #expect(try f.catalog.verify().isIntact)
    }

    /// A log written by a binary that honoured a clock override (or by one that skips the check): verify names the
    /// event that went back, with both times, and still checks the rest.
    @Test func verifyNamesAnEventDatedBeforeItsPredecessor() throws {
        let f = try CatalogFile()
        let alice = try SealedSigningKey.create(for: "alice", passphrase: "pw-alice", kdf: PasswordKey(opsLimit: 1, memLimit: 8192))
        try f.catalog.enrol(CustodianAdded(name: "alice", title: "t", organization: "o", phone: nil, location: nil, key: alice.key),
                            secretKey: alice.secretKey)
        try f.enrol("bob")
        try f.append(MediumAdded(serial: "S1", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")
        let newest = CatalogTime.format(f.clock)
        try forge(MediumAdded(serial: "S2", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice",
                  at: f.clock - 86_400 * 30, secretKey: alice.secretKey, in: f.catalog)
        try f.append(MediumAdded(serial: "S3", mediaType: "LTO-9", classification: "c", location: "onsite:main"), as: "alice")

        let report = try f.catalog.verify()
        #expect(!report.isIntact)
        #expect(report.verifiedEvents == 5 && report.tablesCompared)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.hasPrefix("event 4: dated \(CatalogTime.format(f.clock - 60 - 86_400 * 30))"))
        #expect(problem.contains("before event 3 (\(newest))") && problem.contains("backwards"))
    }

    /// Appends `payload` signed by `actor` at `time`, as a binary without the clock check would.
    private func forge(_ payload: any EventPayload, as actor: String, at time: Date, secretKey: [UInt8], in catalog: Catalog) throws {
        let change = CatalogChange(payload)
        try catalog.database.write { db in
            let before = try Catalog.replay(db)
            var event = EventRecord(sequence: before.eventCount + 1, occurredAt: CatalogTime.format(time), kind: change.kind, actor: actor,
                                    subject: change.subject, payload: try change.encodedPayload(), previousHash: before.headHash,
                                    hash: "", signature: "")
            let canonical = CanonicalEvent.bytes(of: event)
            event.hash = CanonicalEvent.hash(canonical)
            event.signature = Hex.encode(try Signing.sign(canonical, secretKey: secretKey))
            var after = before
            try after.apply(change, as: event)
            try event.insert(db)
            try after.save(comparedTo: before, in: db)
        }
    }
}

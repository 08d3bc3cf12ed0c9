import Foundation
import Testing

/// Sets appended to one medium: a write killed part way, a medium cut short, and 'latest' read
/// from a file, a pipe and a FIFO.
@Suite(.serialized) struct MediaAppendTests {
    static func size(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    }

    static func recordedSnapshots(_ f: MediaFixture) throws -> [String] {
        let report = try JSONSerialization.jsonObject(with: try f.kura(["media", "show", "TAPE01", "--json"]).stdout) as? [String: Any]
        return (report?["backup_sets"] as? [[String: Any]] ?? []).flatMap { set -> [String] in
            if let ids = set["snapshot_ids"] as? [String] { return ids }
            if let ids = set["snapshots"] as? [String] { return ids }
            return []
        }
    }

    /// Text no other payload shares, large enough to need its own pack.
    static func payload(_ tag: String, lines: Int = 150_000) -> Data {
        Data((0..<lines).map { "\(tag) row \($0) 山田 \(UInt64($0).multipliedReportingOverflow(by: 0x9E3779B97F4A7C15).partialValue)\n" }.joined().utf8)
    }

    /// The environment `f.kura` gives kura, for a shell pipeline.
    static func environment(_ f: MediaFixture) -> [String: String] {
        var environment = f.repository.environment
        environment["KURA_CATALOG"] = f.catalog.catalogPath
        environment["KURA"] = Kura.executable.path
        return environment
    }

    @Test func aWriteKilledPartWayIsSkippedByReadersAndCutOffByTheNextAppend() throws {
        let f = try MediaFixture()
        let first = Self.payload("first"), killed = Self.payload("killed"), third = Self.payload("third")
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: first).status == 0)
        let firstID = try f.repository.snapshotIDs().last!
        #expect(try f.kura(["media", "write", "TAPE01", firstID, "--device", f.device, "--as", "alice"]).status == 0)
        let firstSetEnd = try Self.size(f.device)

        // The second write is killed once it has written part of its pack.
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "b.sql"], stdin: killed).status == 0)
        let killedID = try f.repository.snapshotIDs().first { $0 != firstID }!
        let kill = try f.kura(["media", "write", "TAPE01", killedID, "--device", f.device, "--as", "alice"],
                              environment: ["KURA_TEST_KILL_MEDIA_AFTER": "1"])
        #expect(kill.status == 128 + 9, "\(kill.stderr)")
        #expect(try Self.size(f.device) > firstSetEnd)
        #expect(try !Self.recordedSnapshots(f).contains(killedID))
        let killedCopy = f.repository.path("killed.tar")
        try FileManager.default.copyItem(atPath: f.device, toPath: killedCopy)

        // Readers name the partial set and read the complete one.
        let label = try f.kura(["media", "label", f.device, "--json"])
        #expect(label.status == 0, "\(label.stderr)")
        #expect(label.output.contains(firstID) && !label.output.contains(killedID), "\(label.output)")
        #expect(label.stderr.contains("skipping the incomplete set") && label.stderr.contains("at byte \(firstSetEnd)"), "\(label.stderr)")
        let dumpFirst = try f.kura(["dump", "--from-media", f.device, "latest", "a.sql"])
        #expect(dumpFirst.status == 0, "\(dumpFirst.stderr)")
        #expect(dumpFirst.stdout == first)

        // The next append cuts the partial set off, writes where it began, and is recorded.
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "c.sql"], stdin: third).status == 0)
        let thirdID = try f.repository.snapshotIDs().first { $0 != firstID && $0 != killedID }!
        let append = try f.kura(["media", "write", "TAPE01", thirdID, "--device", f.device, "--as", "alice", "--json"])
        #expect(append.status == 0, "\(append.stderr)")
        #expect(append.stderr.contains("cutting off 1 incomplete set at byte \(firstSetEnd)"), "\(append.stderr)")
        #expect(append.output.contains("\"appended\" : true"))
        #expect(try MediumInspector.labelIDs(f.device) == [firstID, thirdID])
        let recorded = try Self.recordedSnapshots(f)
        #expect(recorded.contains(firstID) && recorded.contains(thirdID) && !recorded.contains(killedID), "\(recorded)")
        let listing = try f.kura(["media", "label", f.device])
        #expect(listing.status == 0 && !listing.stderr.contains("incomplete"), "\(listing.stderr)")
        for (id, name, payload) in [(firstID, "a.sql", first), (thirdID, "c.sql", third)] {
            let dump = try f.kura(["dump", "--from-media", f.device, String(id.prefix(8)), name])
            #expect(dump.status == 0, "\(dump.stderr)")
            #expect(dump.stdout == payload, "\(name)")
        }
        let verify = try f.kura(["media", "verify", "TAPE01", "--device", f.device])
        #expect(verify.status == 0, "\(verify.stderr)")

        // What man/kura-medium.5 says about tar: plain tvf lists the first set, ignoring zeros lists both.
        for (lister, all) in [("tar tvf", false), ("bsdtar -tvf", false), ("tar -itvf", true), ("bsdtar --ignore-zeros -tvf", true)] {
            let listing = try Kura.shell("\(lister) '\(f.device)'")
            #expect(listing.status == 0, "\(lister): \(listing.stderr)")
            let labels = listing.output.split(separator: "\n").filter { $0.hasSuffix("/label.json") }
            #expect(labels.count == (all ? 2 : 1), "\(lister): \(listing.output)")
        }

        // A medium that kept the partial set with a complete one after it (a tape, or an older kura's
        // append) is read in one pass: the partial set is skipped, the sets on both sides restore.
        let tapeLike = f.repository.path("tape-like.tar")
        #expect(try Kura.shell("cat '\(killedCopy)' > '\(tapeLike)' && tail -c +\(firstSetEnd + 1) '\(f.device)' >> '\(tapeLike)'").status == 0)
        let piped = try Kura.shell("cat '\(tapeLike)' | \"$KURA\" dump --from-media /dev/stdin latest c.sql > '\(f.repository.path("c.out"))'",
                                   environment: Self.environment(f))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.contains("skipping the incomplete set"), "\(piped.stderr)")
        #expect(FileManager.default.contents(atPath: f.repository.path("c.out")) == third)
        let before = try f.kura(["dump", "--from-media", tapeLike, String(firstID.prefix(8)), "a.sql"])
        #expect(before.status == 0 && before.stdout == first, "\(before.stderr)")
        let tapeLabels = try f.kura(["media", "label", tapeLike, "--json"])
        #expect(tapeLabels.status == 0 && tapeLabels.output.contains(thirdID) && !tapeLabels.output.contains(killedID))
        let tapeVerify = try f.kura(["media", "verify", "TAPE01", "--device", tapeLike])
        #expect(tapeVerify.status == 0, "\(tapeVerify.stderr)")
        #expect(tapeVerify.stderr.contains("skipping the incomplete set"), "\(tapeVerify.stderr)")
    }

    @Test func aMediumCutShortStillReadsItsEarlierSetsAndRefusesAnAppend() throws {
        let f = try MediaFixture()
        let first = Self.payload("first"), second = Self.payload("second", lines: 400_000)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: first).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let firstSetEnd = try Self.size(f.device)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "b.sql"], stdin: second).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let ids = try f.repository.snapshotIDs()
        #expect(try MediumInspector.labelIDs(f.device).count == 2)

        // Cut in the middle of the second set.
        let cut = firstSetEnd + (try Self.size(f.device) - firstSetEnd) / 2
        #expect(truncate(f.device, off_t(cut)) == 0)
        let labels = try f.kura(["media", "label", f.device, "--json"])
        #expect(labels.status == 0)
        #expect(try MediumInspector.labelIDs(f.device).count == 1)
        #expect(labels.stderr.contains("skipping the incomplete set"), "\(labels.stderr)")
        let dump = try f.kura(["dump", "--from-media", f.device, "latest", "a.sql"])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout == first)
        let restore = try f.kura(["restore", "--from-media", f.device, "latest", "--target", f.repository.path("r")])
        #expect(restore.status == 0, "\(restore.stderr)")
        let verify = try f.kura(["media", "verify", "TAPE01", "--device", f.device])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("is not on the medium"), "\(verify.stderr)")

        // A set the catalog records is damaged: nothing is appended, nothing recorded.
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "c.sql"], stdin: Data("third".utf8)).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: f.device))
        let append = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(append.status == 1, "\(append.stderr)")
        #expect(append.stderr.contains("is damaged") && append.stderr.contains("incomplete") && append.stderr.contains("at byte \(firstSetEnd)"),
                "\(append.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.device)) == before)
        #expect(try Self.recordedSnapshots(f).count == ids.count)
    }

    @Test func aPartBlockAfterTheLastSetIsCutOffSoTheNextSetStartsOnABlock() throws {
        let f = try MediaFixture()
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: Data("first\n".utf8)).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let setEnd = try Self.size(f.device)
        // What a write killed inside its first write(2) leaves: part of a label's header block.
        #expect(try Kura.shell("head -c 300 '\(f.device)' >> '\(f.device)'").status == 0)
        let label = try f.kura(["media", "label", f.device])
        #expect(label.status == 0 && !label.stderr.contains("incomplete"), "\(label.stderr)")
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "b.sql"], stdin: Data("second\n".utf8)).status == 0)
        let append = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(append.status == 0, "\(append.stderr)")
        #expect(append.stderr.contains("cutting off 300 bytes that belong to no set at byte \(setEnd)"), "\(append.stderr)")
        #expect(try MediumInspector.labelIDs(f.device).count == 2)
        let dump = try f.kura(["dump", "--from-media", f.device, "latest", "b.sql"])
        #expect(dump.status == 0 && dump.stdout == Data("second\n".utf8), "\(dump.stderr)")
    }

    @Test func latestIsTheNewestSnapshotOnTheMediumFromAFileAPipeAndAFIFO() throws {
        let f = try MediaFixture()
        let source = f.source
        #expect(try Kura.shell("mkdir -p '\(source)' && echo old > '\(source)/version'").status == 0)
        #expect(try f.kura(["backup", source]).status == 0)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: Data("old dump\n".utf8)).status == 0)
        let old = try f.repository.snapshotIDs()
        #expect(try Kura.shell("echo new > '\(source)/version'").status == 0)
        #expect(try f.kura(["backup", source]).status == 0)
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "crm.sql"], stdin: Data("new dump\n".utf8)).status == 0)
        let new = try f.repository.snapshotIDs().filter { !old.contains($0) }
        #expect(old.count == 2 && new.count == 2)
        // The newest set is neither the first nor the last on the medium.
        for ids in [old, new, old] {
            let write = try f.kura(["media", "write", "TAPE01"] + ids + ["--device", f.device, "--as", "alice"])
            #expect(write.status == 0, "\(write.stderr)")
        }
        #expect(try MediumInspector.labelIDs(f.device).count == 6)

        let fromFile = try f.kura(["dump", "--from-media", f.device, "latest", "crm.sql"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(String(decoding: fromFile.stdout, as: UTF8.self) == "new dump\n")
        let out = f.repository.path("crm.out")
        let piped = try Kura.shell("cat '\(f.device)' | \"$KURA\" dump --from-media /dev/stdin latest crm.sql > '\(out)'",
                                   environment: Self.environment(f))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(FileManager.default.contents(atPath: out) == Data("new dump\n".utf8))

        let fifo = f.repository.path("tape.fifo"), target = f.repository.path("restored")
        let restore = try Kura.shell("mkfifo '\(fifo)' && (cat '\(f.device)' > '\(fifo)' &) && \"$KURA\" restore --from-media '\(fifo)' latest --target '\(target)'",
                                     environment: Self.environment(f))
        #expect(restore.status == 0, "\(restore.stderr)")
        // The newest snapshot is the stream backup of the second generation.
        let restored = (FileManager.default.enumerator(atPath: target)?.allObjects as? [String] ?? []).filter { $0.hasSuffix("crm.sql") }
        #expect(restored.count == 1, "\(restored)")
        #expect(restored.first.flatMap { FileManager.default.contents(atPath: target + "/" + $0) } == Data("new dump\n".utf8))
        let fromFileTree = try f.kura(["restore", "--from-media", f.device, String(new[0].prefix(8)), "--target", f.repository.path("files")])
        #expect(fromFileTree.status == 0, "\(fromFileTree.stderr)")
        #expect(FileManager.default.contents(atPath: f.repository.path("files") + source + "/version") == Data("new\n".utf8))

        // An id still restores from the first set that holds it, through a pipe too.
        let olderDumps = try old.map { id in
            try Kura.shell("cat '\(f.device)' | \"$KURA\" dump --from-media /dev/stdin \(id.prefix(8)) crm.sql", environment: Self.environment(f)).output
        }
        #expect(olderDumps.contains("old dump\n"), "\(olderDumps)")
    }
}

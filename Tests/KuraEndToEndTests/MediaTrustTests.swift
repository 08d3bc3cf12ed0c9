import Foundation
import Testing

/// Issue 12, items 6 and 7: the catalog says where each set really is, labels are authenticated,
/// entries that are not part of a set are never acted on, and a lost medium reveals only what the
/// exposure report says.
@Suite(.serialized) struct MediaTrustTests {
    /// Rewrites the single-set archive at `device` with python's tarfile, as a tamperer would:
    /// `mode` is `serial` (the label shows TAPE99), `version1` (the label in format version 1) or
    /// `foreign:TOKEN` (entries outside the set's layout right after the label).
    static func rewrite(_ device: String, _ mode: String, directory: String) throws {
        let script = directory + "/rewrite-medium.py"
        try """
        import io, json, sys, tarfile
        src, dst, mode = sys.argv[1:4]
        def add(out, name, kind=tarfile.REGTYPE, linkname="", payload=b"evil\\n"):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mode = kind, linkname, 0o644
            if kind == tarfile.REGTYPE:
                info.size = len(payload)
                out.addfile(info, io.BytesIO(payload))
            else:
                out.addfile(info)
        with tarfile.open(src) as archive, tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as out:
            for member in archive.getmembers():
                data = archive.extractfile(member).read() if member.isfile() else None
                if member.name.endswith("/label.json"):
                    label = json.loads(data)
                    if mode == "serial":
                        label["serial"] = "TAPE99"
                    elif mode == "version1":
                        label["version"] = 1
                        del label["sealed"], label["mac"]
                        label["written_by"] = "v1-writer"
                        for s in label["snapshots"]:
                            s.update(hostname="v1-host", paths=["/v1/path"], tags=["v1-tag"])
                    data = json.dumps(label, indent=2, sort_keys=True).encode() + b"\\n"
                    member.size = len(data)
                out.addfile(member, io.BytesIO(data) if data is not None else None)
                if mode.startswith("foreign:") and member.name.endswith("/label.json"):
                    token, setname = mode.split(":")[1], member.name.split("/")[0]
                    add(out, "../evil-" + token)
                    add(out, "/tmp/kura-abs-evil-" + token)
                    add(out, setname + "/evil-link", tarfile.SYMTYPE, "/")
                    add(out, setname + "/data/00/" + "0" * 64, tarfile.LNKTYPE, "/etc/passwd")
                    add(out, setname + "/fifo", tarfile.FIFOTYPE)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try Kura.shell("python3 '\(script)' '\(device)' '\(device).new' '\(mode)' && mv '\(device).new' '\(device)'")
        #expect(result.status == 0, "rewrite \(mode): \(result.stderr)")
    }

    static func backupSets(_ f: MediaFixture, _ serial: String) throws -> Int {
        let report = try JSONSerialization.jsonObject(with: try f.kura(["media", "show", serial, "--json"]).stdout) as? [String: Any]
        return (report?["backup_sets"] as? [Any])?.count ?? -1
    }

    @Test func writeToAnActiveMediumNeedsItsEarlierSetsOnTheDevice() throws {
        let f = try MediaFixture()
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: Data("first".utf8)).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let earlier = f.repository.path("only-first-set.tar")
        try FileManager.default.copyItem(atPath: f.device, toPath: earlier)

        // An active medium and a blank device: refused, nothing written, nothing recorded.
        let blank = f.repository.path("blank.tar")
        let refused = try f.kura(["media", "write", "TAPE01", "latest", "--device", blank, "--as", "alice"])
        #expect(refused.status == 20)
        #expect(refused.stderr.contains("earlier-sets") && refused.stderr.contains("TAPE01"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: blank))
        #expect(try Self.backupSets(f, "TAPE01") == 1)

        // The device that holds the medium's sets takes the next one, appended.
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "b.sql"], stdin: Data("second".utf8)).status == 0)
        let appended = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice", "--json"])
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.output.contains("\"appended\" : true"), "\(appended.output)")
        #expect(try MediumInspector.labelIDs(f.device).count == 2)

        // A copy holding only the first set lacks the second: refused, naming the set that is missing.
        let before = try Data(contentsOf: URL(fileURLWithPath: earlier))
        let partial = try f.kura(["media", "write", "TAPE01", "latest", "--device", earlier, "--as", "alice"])
        #expect(partial.status == 20)
        #expect(partial.stderr.contains("earlier-sets") && partial.stderr.contains("does not hold 1"), "\(partial.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: earlier)) == before)
        #expect(try Self.backupSets(f, "TAPE01") == 2)

        // A device whose label was changed does not authenticate: refused.
        try Self.rewrite(f.device, "serial", directory: f.repository.path(""))
        let forged = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(forged.status == 20)
        #expect(forged.stderr.contains("TAPE99"), "\(forged.stderr)")
        #expect(try Self.backupSets(f, "TAPE01") == 2)
    }

    @Test func writeToAMediumThatIsNotOnsiteIsRefused() throws {
        let f = try MediaFixture()
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: Data("data".utf8)).status == 0)
        try f.catalog.ok(["media", "move", "TAPE01", "--to", "offsite:vault", "--via", "TruckCo", "--as", "alice"])
        let inTransit = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(inTransit.status == 20)
        #expect(inTransit.stderr.contains("not-onsite") && inTransit.stderr.contains("in-transit:TruckCo"), "\(inTransit.stderr)")
        try f.catalog.ok(["media", "receive", "TAPE01", "--as", "bob"])
        let offsite = try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"])
        #expect(offsite.status == 20)
        #expect(offsite.stderr.contains("not-onsite") && offsite.stderr.contains("offsite:vault"), "\(offsite.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.device))
        #expect(try Self.backupSets(f, "TAPE01") == 0)
    }

    @Test func capacityNeedsAUnitAndAtLeastOneMegabyte() throws {
        let f = try CatalogFixture()
        try f.addCustodians(["alice", "bob"])
        for capacity in ["800", "100K", "0.5MB", "lots"] {
            let result = try f.kura(["media", "add", "C-\(capacity)", "--type", "HDD", "--capacity", capacity, "--as", "alice"])
            #expect(result.status == 64, "--capacity \(capacity): \(result.stderr)")
            #expect(result.stderr.contains("'\(capacity)'"), "\(result.stderr)")
        }
        try f.ok(["media", "add", "C-OK", "--type", "LTO-9", "--capacity", "18TB", "--as", "alice"])
        try f.ok(["media", "add", "C-MB", "--type", "HDD", "--capacity", "1MB", "--as", "alice"])
    }

    @Test func aLabelEditedToShowAnotherSerialFailsAuthentication() throws {
        let f = try MediaFixture()
        #expect(try f.kura(["backup", "--stdin", "--stdin-name", "a.sql"], stdin: Data("data".utf8)).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let genuine = try f.kura(["media", "label", f.device])
        #expect(genuine.status == 0, "\(genuine.stderr)")
        #expect(genuine.output.contains("authenticated with the repository's key"), "\(genuine.output)")

        try Self.rewrite(f.device, "serial", directory: f.repository.path(""))
        let withPassword = try f.kura(["media", "label", f.device])
        #expect(withPassword.status == 1)
        #expect(withPassword.stderr.contains("fails authentication") && withPassword.stderr.contains("serial reads 'TAPE99' but was written as 'TAPE01'"),
                "\(withPassword.stderr)")
        #expect(!withPassword.output.contains("TAPE99"))
        let withoutPassword = try Kura.run(["media", "label", f.device])
        #expect(withoutPassword.status == 0)
        #expect(withoutPassword.output.contains("NOT authenticated") && withoutPassword.output.contains("needs the password"), "\(withoutPassword.output)")
        let verify = try f.kura(["media", "verify", "TAPE01", "--device", f.device])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("serial reads 'TAPE99'"), "\(verify.stderr)")
    }

    @Test func entriesThatAreNotPartOfTheSetFailVerifyAndAreNeverActedOn() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        let token = UUID().uuidString.prefix(8).lowercased()
        try Self.rewrite(f.device, "foreign:\(token)", directory: f.repository.path(""))
        let listing = try Kura.shell("bsdtar -tvf '\(f.device)'").output
        #expect(listing.contains("../evil-\(token)") && listing.contains("/tmp/kura-abs-evil-\(token)"), "\(listing)")

        let verify = try f.kura(["media", "verify", "TAPE01", "--device", f.device])
        #expect(verify.status == 1)
        for named in ["entry ../evil-\(token) (regular file)", "entry /tmp/kura-abs-evil-\(token) (regular file)",
                      "evil-link (symbolic link to /)", "(hard link to /etc/passwd)", "/fifo (FIFO)"] {
            #expect(verify.stderr.contains(named), "verify does not name \(named): \(verify.stderr)")
        }

        let parent = f.repository.path("restore-parent")
        let target = parent + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let restore = try f.kura(["restore", "--from-media", f.device, "latest", "--target", target])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try MediaFixture.manifest(target + f.source) == (try MediaFixture.manifest(f.source)))
        for outside in [parent + "/evil-\(token)", f.repository.path("evil-\(token)"), "/tmp/kura-abs-evil-\(token)",
                        target + "/evil-link", target + "/fifo"] {
            #expect(!FileManager.default.fileExists(atPath: outside), "restore created \(outside)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["target"])
    }

    @Test func aLostMediumRevealsOnlyTheLabelsClearFields() throws {
        let f = try MediaFixture()
        try f.makeTree()
        let host = "db-secret-host-4711", tag = "tag-secret-0815"
        #expect(try f.kura(["backup", f.source, "--host", host, "--tag", tag]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)

        let raw = try Data(contentsOf: URL(fileURLWithPath: f.device))
        for secret in [host, tag, f.source, "alice"] {
            #expect(raw.range(of: Data(secret.utf8)) == nil, "the medium shows \(secret) in the clear")
        }
        let plain = try Kura.run(["media", "label", f.device])
        #expect(plain.status == 0)
        #expect(!plain.output.contains(host) && plain.output.contains("host, paths and tags need the password"), "\(plain.output)")
        let full = try f.kura(["media", "label", f.device])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.output.contains(host) && full.output.contains(f.source) && full.output.contains(tag) && full.output.contains("by alice"),
                "\(full.output)")

        // The exposure report lists exactly the members the label shows in the clear.
        let labelText = try Kura.shell("tar -xOf '\(f.device)' --wildcards '*/label.json'").stdout
        let label = try #require(try JSONSerialization.jsonObject(with: labelText) as? [String: Any])
        let snapshotKeys = ((label["snapshots"] as? [[String: Any]])?.first?.keys).map(Array.init) ?? []
        let onMedium = Set(label.keys).union(snapshotKeys.map { "snapshots[].\($0)" })
        let lost = try f.kura(["media", "lost", "TAPE01", "--as", "bob", "--json"])
        #expect(lost.status == 0, "\(lost.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: lost.stdout) as? [String: Any])
        let reveals = ((result["exposure"] as? [String: Any])?["medium_reveals"] as? [[String: Any]]) ?? []
        let reported = Set(reveals.filter { $0["source"] as? String == "label" }.compactMap { $0["field"] as? String })
        #expect(reported == onMedium, "reported \(reported.sorted()) but the label holds \(onMedium.sorted())")
        #expect(!onMedium.contains("written_by") && !snapshotKeys.contains("hostname"))
        // The key slots travel with their host and user names blanked (the machine's name may be too short to grep for).
        for slot in (label["key_slots"] as? [String: String] ?? [:]).values {
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(slot.utf8)) as? [String: Any])
            #expect(fields["hostname"] as? String == "" && fields["username"] as? String == "", "\(slot)")
        }
    }

    @Test func aVersionOneLabelStillReadsAndRestores() throws {
        let f = try MediaFixture()
        try f.makeTree()
        #expect(try f.kura(["backup", f.source]).status == 0)
        #expect(try f.kura(["media", "write", "TAPE01", "latest", "--device", f.device, "--as", "alice"]).status == 0)
        try Self.rewrite(f.device, "version1", directory: f.repository.path(""))

        let label = try Kura.run(["media", "label", f.device, "--json"])
        #expect(label.status == 0, "\(label.stderr)")
        let listing = try #require((try JSONSerialization.jsonObject(with: label.stdout) as? [[String: Any]])?.first)
        #expect(listing["version"] as? Int == 1 && listing["written_by"] as? String == "v1-writer", "\(label.output)")
        #expect(((listing["snapshots"] as? [[String: Any]])?.first?["snapshot"] as? [String: Any])?["hostname"] as? String == "v1-host")
        let text = try f.kura(["media", "label", f.device])
        #expect(text.status == 0 && text.output.contains("cannot be checked") && text.output.contains("/v1/path"), "\(text.output)\(text.stderr)")

        let target = f.repository.path("restored")
        let restore = try f.kura(["restore", "--from-media", f.device, "latest", "--target", target])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try MediaFixture.manifest(target + f.source) == (try MediaFixture.manifest(f.source)))
        let verify = try f.kura(["media", "verify", "TAPE01", "--device", f.device])
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}

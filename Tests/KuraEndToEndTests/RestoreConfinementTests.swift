import Foundation
import Testing

/// Issue 12 item 2: a restore stays inside its target. Links already in the target are never
/// followed, existing files are overwritten only by choice (--overwrite), and a target that is not
/// a directory gets one line. Snapshot paths are the sources' absolute paths (/tmp/kura-…/source),
/// so `T/tmp -> OUTSIDE` is exactly the link a restore of them would walk through.
@Suite(.serialized) struct RestoreConfinementTests {
    /// A repository with one snapshot of `source` (a.txt, sub/b.txt, link -> a.txt, empty-dir), and
    /// `outside`, a directory that no restore may touch.
    final class Fixture {
        let repository: RepositoryFixture
        let source: String
        let outside: String

        init(name: String = "kura-confine") throws {
            repository = try RepositoryFixture(name: name)
            source = repository.path("source")
            outside = repository.path("outside")
            let script = """
            set -e
            mkdir -p '\(source)/sub' '\(source)/empty-dir' '\(outside)'
            printf 'snapshot a\\n' > '\(source)/a.txt'
            printf 'snapshot b\\n' > '\(source)/sub/b.txt'
            ln -s a.txt '\(source)/link'
            chmod 750 '\(source)/sub'
            touch -d '2020-01-02 03:04:05' '\(source)/a.txt'
            printf 'do not touch\\n' > '\(outside)/victim'
            chmod 755 '\(outside)'
            touch -d '2001-01-01 00:00:00' '\(outside)' '\(outside)/victim'
            """
            let made = try Kura.shell(script)
            #expect(made.status == 0, "\(made.stderr)")
            let backup = try repository.kura(["backup", source])
            #expect(backup.status == 0, "\(backup.stderr)")
        }

        func target(_ name: String = "target") -> String { repository.path(name) }

        /// The first component of the snapshot's paths ("tmp" for /tmp/kura-…/source).
        var top: String { String(source.split(separator: "/")[0]) }

        @discardableResult
        func restore(_ target: String, _ extra: [String] = []) throws -> KuraResult {
            try repository.kura(["restore", "latest", "--target", target] + extra)
        }

        /// Mode, mtime and listing of `outside`, to show a restore left it alone.
        func outsideState() throws -> String {
            try Kura.shell("stat -c '%a %Y' '\(outside)' && cd '\(outside)' && find . | LC_ALL=C sort && stat -c '%n %a %Y %s' victim && cat victim").output
        }
    }

    static func manifest(_ root: String) throws -> String { try MediaFixture.manifest(root) }

    static func oneLine(_ stderr: String) -> Bool {
        stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1
    }

    // MARK: Links in the target

    @Test func aSymlinkAtTheTopOfTheTargetIsNeverFollowed() throws {
        let f = try Fixture()
        let target = f.target()
        #expect(try Kura.shell("mkdir -p '\(target)' && ln -s '\(f.outside)' '\(target)/\(f.top)'").status == 0)
        let before = try f.outsideState()
        for extra in [[], ["--overwrite", "always"], ["--overwrite", "never"], ["--overwrite", "if-newer"]] {
            let result = try f.restore(target, extra)
            #expect(result.status == 1, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains("\(target)/\(f.top) is a symlink"), "\(extra): \(result.stderr)")
            #expect(Self.oneLine(result.stderr), "\(result.stderr)")
            #expect(try f.outsideState() == before, "\(extra) touched \(f.outside)")
        }
        #expect(try Kura.shell("readlink '\(target)/\(f.top)'").output == f.outside + "\n")
    }

    @Test func aSymlinkToADirectoryWhereTheSnapshotHasADirectoryIsRefusedNamed() throws {
        let f = try Fixture()
        let target = f.target()
        let sub = target + f.source + "/sub"
        #expect(try Kura.shell("mkdir -p '\(target + f.source)' && ln -s '\(f.outside)' '\(sub)'").status == 0)
        let before = try f.outsideState()
        for extra in [[], ["--overwrite", "always"]] {
            let result = try f.restore(target, extra)
            #expect(result.status == 1, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains("\(sub) is a symlink where the snapshot has a directory"), "\(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain"))
            #expect(try f.outsideState() == before, "\(extra) touched \(f.outside)")
            // Refused before anything was written: the rest of the snapshot is not there either.
            #expect(!FileManager.default.fileExists(atPath: target + f.source + "/a.txt"))
        }
        // Restoring only what is not below the link works, and still leaves the outside alone.
        let partial = try f.restore(target, ["--include", "a.txt"])
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(FileManager.default.contents(atPath: target + f.source + "/a.txt") == Data("snapshot a\n".utf8))
        #expect(try f.outsideState() == before)
    }

    @Test func aSymlinkWhereTheSnapshotHasAFileIsReplacedNotWrittenThrough() throws {
        let f = try Fixture()
        let target = f.target()
        let file = target + f.source + "/a.txt"
        #expect(try Kura.shell("mkdir -p '\(target + f.source)' && ln -s '\(f.outside)/victim' '\(file)'").status == 0)
        let before = try f.outsideState()
        let refused = try f.restore(target)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(file) differs from the snapshot's file"), "\(refused.stderr)")
        #expect(try f.outsideState() == before)
        let always = try f.restore(target, ["--overwrite", "always"])
        #expect(always.status == 0, "\(always.stderr)")
        #expect(try Kura.shell("test -f '\(file)' && ! test -L '\(file)'").status == 0)
        #expect(FileManager.default.contents(atPath: file) == Data("snapshot a\n".utf8))
        #expect(try f.outsideState() == before)
    }

    // MARK: Existing files

    @Test func aDifferingExistingFileIsRefusedByDefaultAndTheTargetIsLeftAsItWas() throws {
        let f = try Fixture()
        let target = f.target()
        #expect(try f.restore(target).status == 0)
        let a = target + f.source + "/a.txt", b = target + f.source + "/sub/b.txt"
        #expect(try Kura.shell("printf 'mine\\n' > '\(a)' && rm '\(b)' && mkdir '\(target)/unrelated'").status == 0)
        let before = try Self.manifest(target)
        let result = try f.restore(target)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(a) differs from the snapshot's file"), "\(result.stderr)")
        #expect(result.stderr.contains("--overwrite"), "\(result.stderr)")
        #expect(Self.oneLine(result.stderr), "\(result.stderr)")
        #expect(try Self.manifest(target) == before, "a refused restore changed the target")
        #expect(!FileManager.default.fileExists(atPath: b))
    }

    @Test func anIdenticalExistingTreeRestoresAgainWithoutComplaint() throws {
        let f = try Fixture()
        let target = f.target()
        #expect(try f.restore(target).status == 0)
        let first = try Self.manifest(target)
        let again = try f.restore(target, ["--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let json = try RepositoryFixture.json(again)
        #expect((json["overwritten"] as? [String]) == [])
        #expect((json["skipped"] as? [String]) == [])
        #expect(try Self.manifest(target) == first)
        #expect(try Self.manifest(target + f.source) == Self.manifest(f.source))
    }

    @Test func overwriteAlwaysIfNewerAndNever() throws {
        let f = try Fixture()
        let target = f.target()
        #expect(try f.restore(target).status == 0)
        let a = target + f.source + "/a.txt", b = target + f.source + "/sub/b.txt"
        let snapshotPath = f.source + "/a.txt"
        func change(mtime: String) throws {
            #expect(try Kura.shell("printf 'mine\\n' > '\(a)' && touch -d '\(mtime)' '\(a)' && rm -f '\(b)'").status == 0)
        }
        func contents(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

        try change(mtime: "2030-01-01")
        let never = try f.restore(target, ["--overwrite", "never", "--json"])
        #expect(never.status == 0, "\(never.stderr)")
        #expect(contents(a) == "mine\n")
        #expect(contents(b) == "snapshot b\n", "a missing file is still restored")
        #expect((try RepositoryFixture.json(never)["skipped"] as? [String])?.contains(snapshotPath) == true, "\(never.output)")

        try change(mtime: "2030-01-01")
        let newerMine = try f.restore(target, ["--overwrite", "if-newer", "--json"])
        #expect(newerMine.status == 0, "\(newerMine.stderr)")
        #expect(contents(a) == "mine\n", "the existing file is newer than the snapshot's, so it stays")
        #expect((try RepositoryFixture.json(newerMine)["skipped"] as? [String])?.contains(snapshotPath) == true)

        try change(mtime: "2010-01-01")
        let olderMine = try f.restore(target, ["--overwrite", "if-newer", "--json"])
        #expect(olderMine.status == 0, "\(olderMine.stderr)")
        #expect(contents(a) == "snapshot a\n", "the snapshot's file is newer, so it replaces the existing one")
        #expect((try RepositoryFixture.json(olderMine)["overwritten"] as? [String]) == [snapshotPath])

        try change(mtime: "2030-01-01")
        let always = try f.restore(target, ["--overwrite", "always"])
        #expect(always.status == 0, "\(always.stderr)")
        #expect(contents(a) == "snapshot a\n")
        #expect(always.output.contains("overwrote 1 existing entry (--overwrite always): \(snapshotPath)"), "\(always.output)")
        #expect(try Self.manifest(target + f.source) == Self.manifest(f.source))
    }

    @Test func anExistingDirectoryIsNeverReplacedByAFile() throws {
        let f = try Fixture()
        let target = f.target()
        let a = target + f.source + "/a.txt"
        #expect(try Kura.shell("mkdir -p '\(a)' && echo keep > '\(a)/inside'").status == 0)
        let always = try f.restore(target, ["--overwrite", "always"])
        #expect(always.status == 1)
        #expect(always.stderr.contains("\(a) is a directory where the snapshot has a file"), "\(always.stderr)")
        #expect(FileManager.default.contents(atPath: a + "/inside") == Data("keep\n".utf8))
        let never = try f.restore(target, ["--overwrite", "never"])
        #expect(never.status == 0, "\(never.stderr)")
        #expect(FileManager.default.contents(atPath: a + "/inside") == Data("keep\n".utf8))
    }

    // MARK: The target itself

    @Test func aTargetThatIsARegularFileGetsOneLine() throws {
        let f = try Fixture()
        let file = f.target("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let result = try f.restore(file)
        #expect(result.status == 1)
        #expect(result.stderr.contains("restore target \(file) exists and is not a directory"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        #expect(Self.oneLine(result.stderr), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: file) == Data("x".utf8))

        let below = try f.restore(file + "/below")
        #expect(below.status == 1)
        #expect(!below.stderr.contains("NSCocoaErrorDomain"), "\(below.stderr)")
        #expect(Self.oneLine(below.stderr), "\(below.stderr)")
    }

    @Test func aMissingTargetIsCreated() throws {
        let f = try Fixture()
        let target = f.target("new/nested/target")
        let result = try f.restore(target)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.manifest(target + f.source) == Self.manifest(f.source))
    }

    @Test func aDrillTargetThatIsARegularFileGetsOneLine() throws {
        let s = try RetentionSetup(custodians: [])
        let source = s.fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)' && echo x > '\(source)/x'").status == 0)
        try s.ok(["backup", source, "--quiet"])
        let file = s.fixture.path("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let drill = try s.kura(["drill", "--target", file])
        #expect(drill.status == 64)
        #expect(drill.stderr.contains("--target \(file) exists and is not a directory"), "\(drill.stderr)")
        #expect(!drill.stderr.contains("NSCocoaErrorDomain") && Self.oneLine(drill.stderr), "\(drill.stderr)")
    }

    // MARK: From a medium

    @Test func aRestoreFromMediaStaysInsideABoobyTrappedTarget() throws {
        let m = try MediaFixture()
        #expect(try Kura.shell("mkdir -p '\(m.source)/sub' && printf 'medium a\\n' > '\(m.source)/a.txt' && printf 'b\\n' > '\(m.source)/sub/b.txt'").status == 0)
        #expect(try m.kura(["backup", m.source]).status == 0)
        #expect(try m.kura(["media", "write", "TAPE01", "latest", "--device", m.device, "--as", "alice"]).status == 0)
        let outside = m.repository.path("outside")
        #expect(try Kura.shell("mkdir -p '\(outside)' && chmod 755 '\(outside)' && touch -d '2001-01-01' '\(outside)'").status == 0)
        let outsideBefore = try Kura.shell("stat -c '%a %Y' '\(outside)' && ls -A '\(outside)'").output
        let top = String(m.source.split(separator: "/")[0])

        let trapped = m.repository.path("trapped")
        #expect(try Kura.shell("mkdir -p '\(trapped)' && ln -s '\(outside)' '\(trapped)/\(top)'").status == 0)
        let refused = try m.kura(["restore", "--from-media", m.device, "latest", "--target", trapped])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(trapped)/\(top) is a symlink"), "\(refused.stderr)")
        #expect(try Kura.shell("stat -c '%a %Y' '\(outside)' && ls -A '\(outside)'").output == outsideBefore)

        let deeper = m.repository.path("deeper")
        #expect(try Kura.shell("mkdir -p '\(deeper + m.source)' && ln -s '\(outside)' '\(deeper + m.source)/sub'").status == 0)
        let deep = try m.kura(["restore", "--from-media", m.device, "latest", "--target", deeper, "--overwrite", "always"])
        #expect(deep.status == 1)
        #expect(deep.stderr.contains("\(deeper + m.source)/sub is a symlink where the snapshot has a directory"), "\(deep.stderr)")
        #expect(try Kura.shell("stat -c '%a %Y' '\(outside)' && ls -A '\(outside)'").output == outsideBefore)

        let target = m.repository.path("restored")
        #expect(try m.kura(["restore", "--from-media", m.device, "latest", "--target", target]).status == 0)
        let a = target + m.source + "/a.txt"
        #expect(try Kura.shell("printf 'mine\\n' > '\(a)'").status == 0)
        let before = try MediaFixture.manifest(target)
        let differs = try m.kura(["restore", "--from-media", m.device, "latest", "--target", target])
        #expect(differs.status == 1)
        #expect(differs.stderr.contains("\(a) differs from the snapshot's file"), "\(differs.stderr)")
        #expect(try MediaFixture.manifest(target) == before)
        let never = try m.kura(["restore", "--from-media", m.device, "latest", "--target", target, "--overwrite", "never", "--json"])
        #expect(never.status == 0, "\(never.stderr)")
        // never keeps every existing file, identical ones included.
        #expect((try RepositoryFixture.json(never)["skipped"] as? [String]) == [m.source + "/a.txt", m.source + "/sub/b.txt"], "\(never.output)")
        #expect(FileManager.default.contents(atPath: a) == Data("mine\n".utf8))
        let always = try m.kura(["restore", "--from-media", m.device, "latest", "--target", target, "--overwrite", "always", "--json"])
        #expect(always.status == 0, "\(always.stderr)")
        #expect((try RepositoryFixture.json(always)["overwritten"] as? [String]) == [m.source + "/a.txt"])
        #expect(FileManager.default.contents(atPath: a) == Data("medium a\n".utf8))
        let identical = try m.kura(["restore", "--from-media", m.device, "latest", "--target", target])
        #expect(identical.status == 0, "\(identical.stderr)")

        let file = m.repository.path("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        let notDirectory = try m.kura(["restore", "--from-media", m.device, "latest", "--target", file])
        #expect(notDirectory.status == 1)
        #expect(notDirectory.stderr.contains("is not a directory") && !notDirectory.stderr.contains("NSCocoaErrorDomain"), "\(notDirectory.stderr)")
    }
}

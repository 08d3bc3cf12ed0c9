import Foundation
import Testing

/// Acceptance 2 and 4 of issue 2: a varied tree restores identical; a second backup of the same
/// data adds under 1 %; no plaintext reaches the repository.
@Suite(.serialized) struct BackupRestoreTests {
    static let marker = "KURA-MARKER-顧客-4711-do-not-leak"

    /// Builds the source tree with shell tools so it is made the way a user's files are.
    static func makeTree(at root: String) throws {
        let script = """
        set -e
        mkdir -p '\(root)/a/b/c' '\(root)/日本語ディレクトリ' '\(root)/empty-dir'
        printf 'hello\\n' > '\(root)/a/hello.txt'
        printf '\(marker) customer record\\n' > '\(root)/a/b/c/secret.txt'
        for i in $(seq 1 200); do echo "row $i \(marker) 山田 太郎 yamada@example.jp" ; done > '\(root)/a/b/rows.csv'
        : > '\(root)/a/empty-file'
        printf 'こんにちは' > '\(root)/日本語ディレクトリ/ファイル名.txt'
        ln -s hello.txt '\(root)/a/link-to-hello'
        ln -s /nonexistent/target '\(root)/a/dangling'
        ln '\(root)/a/hello.txt' '\(root)/a/b/hardlink-to-hello'
        head -c 300000000 /dev/urandom > '\(root)/big.bin'
        printf 'x' > '\(root)/odd-mode'
        chmod 4751 '\(root)/odd-mode'
        chmod 0600 '\(root)/a/hello.txt'
        chmod 0711 '\(root)/a/b'
        touch -h -d '1999-12-31 23:59:58.123456789' '\(root)/a/link-to-hello'
        touch -d '1985-10-26 01:21:00' '\(root)/odd-mode'
        touch -d '2001-02-03 04:05:06.5' '\(root)/a/b/c' '\(root)/a/b/c/secret.txt'
        """
        let result = try Kura.shell(script)
        #expect(result.status == 0, "building the tree failed: \(result.stderr)")
    }

    /// `path<TAB>type<TAB>mode<TAB>mtime<TAB>size<TAB>link target<TAB>content hash<TAB>hard-link group`, one line per entry.
    static func manifest(of root: String) throws -> String {
        let script = """
        cd '\(root)' && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
          if [ -L "$p" ]; then t=$(readlink "$p"); h=-; else t=-; if [ -f "$p" ]; then h=$(sha256sum < "$p" | cut -c1-16); else h=-; fi; fi
          if [ -d "$p" ] && [ ! -L "$p" ]; then m=$(stat -c '%F %a %Y' "$p"); else m=$(stat -c '%F %a %.9Y %s %h' "$p"); fi
          printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$p" "$m" "$t" "$h" "$(stat -c %i "$p" | xargs -I{} sh -c "find . -inum {} | LC_ALL=C sort | head -1")"
        done
        """
        let result = try Kura.shell(script)
        #expect(result.status == 0, "manifest failed: \(result.stderr)")
        return result.output
    }

    @Test func variedTreeRestoresIdenticalAndSecondBackupAddsUnderOnePercent() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("source")
        try Self.makeTree(at: source)

        let first = try fixture.kura(["backup", source, "--json", "--tag", "nightly"])
        #expect(first.status == 0, "backup failed: \(first.stderr)")
        let summary = try RepositoryFixture.json(first)
        #expect((summary["files"] as? Int ?? 0) >= 8)
        #expect((summary["bytes_read"] as? Int ?? 0) >= 300_000_000)
        let sizeAfterFirst = try fixture.repositorySize()

        let restoreDir = fixture.path("restore")
        let restored = try fixture.kura(["restore", "latest", "--target", restoreDir])
        #expect(restored.status == 0, "restore failed: \(restored.stderr)")
        let expected = try Self.manifest(of: source)
        let actual = try Self.manifest(of: restoreDir + source)
        #expect(expected.split(separator: "\n").count >= 15)
        #expect(actual == expected)

        // Same data again: the repository grows by under 1 %, and the cache means nothing is re-read.
        let second = try fixture.kura(["backup", source, "--json"])
        #expect(second.status == 0, "second backup failed: \(second.stderr)")
        let growth = Double(try fixture.repositorySize() - sizeAfterFirst) / Double(sizeAfterFirst)
        #expect(growth < 0.01, "repository grew by \(growth * 100) %")
        #expect((try RepositoryFixture.json(second)["bytes_read"] as? Int ?? -1) == 0)

        // Without the cache every file is read again, and still nothing new is stored.
        let third = try fixture.kura(["backup", source, "--json", "--no-cache"])
        #expect(third.status == 0)
        #expect((try RepositoryFixture.json(third)["bytes_new"] as? Int ?? -1) < 100_000)

        let grep = try Kura.shell("grep -r -a -l -F '\(Self.marker)' '\(fixture.repo)'; grep -r -a -l -F 'yamada@example.jp' '\(fixture.repo)'")
        #expect(grep.output.isEmpty, "plaintext found in \(grep.output)")
    }

    @Test func includeRestoresOnlyMatchingPathsAndLsListsThem() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        let setup = try Kura.shell("mkdir -p '\(source)/keep/deep' '\(source)/skip' && echo a > '\(source)/keep/deep/a.sql' && echo b > '\(source)/skip/b.txt' && echo c > '\(source)/c.sql'")
        #expect(setup.status == 0)
        #expect(try fixture.kura(["backup", source, "--exclude", "*.tmp"]).status == 0)

        let listing = try fixture.kura(["ls", "latest"])
        #expect(listing.status == 0)
        #expect(listing.output.contains(source + "/keep/deep/a.sql"))
        let json = try fixture.kura(["ls", "latest", source + "/keep", "--json"])
        let nodes = try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]] ?? []
        #expect(nodes.compactMap { $0["path"] as? String }.sorted() == [source + "/keep", source + "/keep/deep", source + "/keep/deep/a.sql"])

        let target = fixture.path("partial")
        #expect(try fixture.kura(["restore", "latest", "--target", target, "--include", "*.sql"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: target + source + "/keep/deep/a.sql"))
        #expect(FileManager.default.fileExists(atPath: target + source + "/c.sql"))
        #expect(!FileManager.default.fileExists(atPath: target + source + "/skip"))
    }

    @Test func specialFilesAreSkippedWithAWarningAndExcludesApply() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("src")
        #expect(try Kura.shell("mkdir -p '\(source)' && mkfifo '\(source)/pipe' && echo x > '\(source)/keep' && echo y > '\(source)/drop.tmp'").status == 0)
        let result = try fixture.kura(["backup", source, "--exclude", "*.tmp"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("pipe") && result.stderr.contains("FIFO"))
        let listing = try fixture.kura(["ls", "latest"]).output
        #expect(listing.contains("/keep"))
        #expect(!listing.contains("drop.tmp"))
        #expect(!listing.contains("/pipe"))
    }
}

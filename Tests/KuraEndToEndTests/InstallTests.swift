import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15 items 1 and 2: `make install`, `kura version`, and the shipped systemd units and crontab.
@Suite struct InstallTests {
    /// The top of the source tree (this file is Tests/KuraEndToEndTests/InstallTests.swift).
    static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func sh(_ script: String, environment: [String: String] = [:]) throws -> KuraResult {
        try Kura.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment)
    }

    static let unitNames = ["kura-backup", "kura-tape-write", "kura-drill", "kura-report"]

    @Test func makeInstallPutsBinaryManPagesCompletionsAndExamplesUnderDestdir() throws {
        let destination = try TemporaryDirectory()
        let result = try Self.sh("cd '\(Self.sourceRoot)' && make install PREFIX=/usr DESTDIR='\(destination.path)' KURA_BINARY='\(Kura.executable.path)'")
        #expect(result.status == 0, "\(result.stderr)")
        let root = destination.appending("usr")
        let files = FileManager.default

        // The binary: executable, stripped (no symbol table left), and it runs.
        let binary = root + "/bin/kura"
        #expect(files.isExecutableFile(atPath: binary))
        let symbols = try Self.sh("readelf -S '\(binary)' | grep -c '\\.symtab' || true")
        #expect(symbols.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "not stripped")
        let installedVersion = try Kura.runProgram(URL(fileURLWithPath: binary), ["--version"])
        #expect(installedVersion.status == 0 && installedVersion.output.hasPrefix("0."))

        // Every man page of the source tree, in its section.
        // (man/sections/ holds the sources of the pages' hand-written sections: not installed.)
        let pages = try files.contentsOfDirectory(atPath: Self.sourceRoot + "/man").filter { $0.hasSuffix(".1") || $0.hasSuffix(".5") }
        #expect(pages.filter { $0.hasSuffix(".1") }.count > 50 && pages.contains("kura-catalog.5")
            && pages.contains("kura-media-dispose-request.1"))
        #expect(!files.fileExists(atPath: root + "/share/man/man1/sections"))
        for page in pages {
            let section = page.hasSuffix(".5") ? "man5" : "man1"
            #expect(files.fileExists(atPath: "\(root)/share/man/\(section)/\(page)"), "missing \(section)/\(page)")
        }

        // Completions the binary generated, each in its shell's language, naming kura's commands.
        let bash = try String(contentsOfFile: root + "/share/bash-completion/completions/kura", encoding: .utf8)
        let zsh = try String(contentsOfFile: root + "/share/zsh/site-functions/_kura", encoding: .utf8)
        let fish = try String(contentsOfFile: root + "/share/fish/vendor_completions.d/kura.fish", encoding: .utf8)
        #expect(bash.contains("complete -") && bash.contains("snapshots") && bash.contains("version"))
        #expect(zsh.hasPrefix("#compdef kura") && zsh.contains("snapshots"))
        #expect(fish.contains("complete -c 'kura'") && fish.contains("snapshots"))
        #expect(try Self.sh("bash -n '\(root)/share/bash-completion/completions/kura'").status == 0)

        // The scheduling examples, all of them.
        for unit in Self.unitNames {
            for suffix in [".service", ".timer"] {
                #expect(files.fileExists(atPath: "\(root)/share/kura/examples/systemd/\(unit)\(suffix)"), "missing \(unit)\(suffix)")
            }
        }
        #expect(files.fileExists(atPath: root + "/share/kura/examples/cron/kura"))

        // Nothing outside DESTDIR/usr.
        #expect(try files.contentsOfDirectory(atPath: destination.path) == ["usr"])

        // uninstall removes what install put there.
        let removed = try Self.sh("cd '\(Self.sourceRoot)' && make uninstall PREFIX=/usr DESTDIR='\(destination.path)'")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(!files.fileExists(atPath: binary) && !files.fileExists(atPath: root + "/share/man/man5/kura-catalog.5"))
    }

    @Test func installWithoutABinaryFailsAndInstallsNothing() throws {
        let destination = try TemporaryDirectory()
        let result = try Self.sh("cd '\(Self.sourceRoot)' && make install DESTDIR='\(destination.path)' KURA_BINARY=/nonexistent/kura")
        #expect(result.status != 0 && result.stderr.contains("no kura binary at /nonexistent/kura"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path).isEmpty)
    }

    @Test func versionNamesFormatsAndLibraries() throws {
        let text = try Kura.run(["version"])
        #expect(text.status == 0, "\(text.stderr)")
        let version = try Kura.run(["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.output.hasPrefix("kura \(version)\n"))
        for word in ["repository", "medium", "catalog", "libsodium", "libzstd", "libarchive", "sqlite"] {
            #expect(text.output.contains("  \(word) "), "no \(word) line")
        }

        let json = try Kura.run(["version", "--json"])
        let object = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any] ?? [:]
        #expect(object["version"] as? String == version)
        let formats = object["formats"] as? [String: [String: Any]] ?? [:]
        #expect(formats["repository"]?["writes"] as? Int == 1)
        #expect(formats["medium"]?["writes"] as? Int == 2 && formats["medium"]?["reads"] as? [Int] == [1, 2])
        // The catalog schema is the newest migration shipped in Catalog/.
        let migrations = try FileManager.default.contentsOfDirectory(atPath: Self.sourceRoot + "/Catalog").filter { $0.hasSuffix(".sql") }.sorted()
        #expect(formats["catalog"]?["writes"] as? Int == migrations.count)
        #expect(formats["catalog"]?["name"] as? String == migrations.last.map { String($0.dropLast(4)) })

        // The libraries this process loaded, as the system's own tools report them.
        let libraries = object["libraries"] as? [String: String] ?? [:]
        let sqlite = try Self.sh("sqlite3 :memory: 'select sqlite_version()'").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(libraries["sqlite"] == sqlite)
        let zstd = try Self.sh("zstd --version").output
        #expect(libraries["libzstd"].map { zstd.contains("v\($0)") } == true, "\(zstd) vs \(libraries)")
        let sodium = try Self.sh("pkg-config --modversion libsodium").output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(libraries["libsodium"] == sodium)
        let archive = try Self.sh("bsdtar --version").output
        #expect(libraries["libarchive"].map { $0.hasPrefix("libarchive ") && archive.contains($0.split(separator: " ")[1]) } == true)
    }

    /// README "Running as a non-root backup user": what kura creates as an unprivileged user (nobody, standing in
    /// for kura) with umask 022, and the modes the table there gives. Needs root to switch users.
    @Test(.enabled(if: getuid() == 0, "needs root to run kura as another user"))
    func aNonRootUserOwnsWhatTheReadmeSays() throws {
        let home = try TemporaryDirectory("kura-nonroot")
        let root = home.path
        let binary = root + "/kura"
        // Copied by cp in a child: a descriptor this process held open for writing the copy would be
        // inherited by whatever another test spawns meanwhile (a store, a database), and executing the
        // copy would then fail with "Text file busy" for as long as that child lives.
        #expect(try Self.sh("cp '\(Kura.executable.path)' '\(binary)'").status == 0)
        try FileManager.default.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try "customer data\n".write(toFile: root + "/src/a.txt", atomically: true, encoding: .utf8)
        #expect(try Self.sh("chown -R nobody '\(root)' && chmod 0700 '\(root)' && chmod 0755 '\(binary)'").status == 0)
        let run = try Self.sh("""
            cd / && runuser -u nobody -- env -i PATH=/usr/bin:/bin HOME=/nonexistent XDG_CACHE_HOME='\(root)/cache' \
              KURA_REPO='\(root)/repository' KURA_CATALOG='\(root)/catalog/catalog.db' KURA_PASSWORD=pw sh -c \
              "umask 022 && '\(binary)' init --quiet && '\(binary)' backup '\(root)/src' --quiet && '\(binary)' report --quiet"
            """)
        #expect(run.status == 0, "\(run.stderr)")
        let listing = try Self.sh("cd '\(root)' && find catalog repository cache -printf '%m %u %y %p\\n'").output
        var modes: [String: (mode: String, owner: String, type: String)] = [:]
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            modes[parts[3]] = (parts[0], parts[1], parts[2])
        }
        #expect(modes.values.allSatisfy { $0.owner == "nobody" }, "\(listing)")
        #expect(modes["catalog"]?.mode == "700" && modes["catalog/catalog.db"]?.mode == "600")
        #expect(modes["repository"]?.mode == "755" && modes["repository/config"]?.mode == "644")
        for directory in ["keys", "data", "index", "snapshots", "locks"] {
            #expect(modes["repository/" + directory]?.mode == "700", "repository/\(directory)")
        }
        let repositoryFiles = modes.filter { $0.key.hasPrefix("repository/") && $0.key != "repository/config" && $0.value.type == "f" }
        #expect(repositoryFiles.count >= 4 && repositoryFiles.values.allSatisfy { $0.mode == "600" }, "\(repositoryFiles)")
        #expect(modes.filter { $0.key.hasPrefix("repository/data/") && $0.value.type == "d" }.values.allSatisfy { $0.mode == "700" })
        let cache = modes.filter { $0.key.hasPrefix("cache") }
        #expect(cache.count >= 4 && cache.allSatisfy { $0.value.mode == ($0.value.type == "d" ? "700" : "600") }, "\(cache)")
        #expect(cache.keys.contains { $0.hasSuffix("/files") })
    }

    /// Copies of the shipped units with ExecStart pointing at a real binary (verify checks it is executable).
    static func unitCopies(in directory: TemporaryDirectory) throws -> [String] {
        var paths: [String] = []
        for unit in unitNames {
            for suffix in [".service", ".timer"] {
                let text = try String(contentsOfFile: "\(sourceRoot)/scripts/systemd/\(unit)\(suffix)", encoding: .utf8)
                let path = directory.appending(unit + suffix)
                try text.replacingOccurrences(of: "/usr/local/bin/kura", with: Kura.executable.path)
                    .write(toFile: path, atomically: true, encoding: .utf8)
                paths.append(path)
            }
        }
        return paths
    }

    static func verify(_ paths: [String]) throws -> KuraResult {
        try sh("systemd-analyze verify --man=no " + paths.map { "'\($0)'" }.joined(separator: " "))
    }

    @Test func shippedUnitsPassSystemdAnalyzeVerify() throws {
        let directory = try TemporaryDirectory()
        let paths = try Self.unitCopies(in: directory)
        let result = try Self.verify(paths)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")

        // What each unit must say to run unattended as the kura user, hardened.
        for unit in Self.unitNames {
            let service = try String(contentsOfFile: "\(Self.sourceRoot)/scripts/systemd/\(unit).service", encoding: .utf8)
            for line in ["User=kura", "Nice=10", "IOSchedulingClass=idle", "ProtectSystem=strict", "ReadWritePaths=/var/lib/kura",
                         "PrivateTmp=yes", "NoNewPrivileges=yes", "ExecStart=/usr/local/bin/kura "] {
                #expect(service.contains("\n" + line), "\(unit).service lacks \(line)")
            }
            if unit != "kura-report" {
                #expect(service.contains("\nLoadCredential=repository-password:") && service.contains("--password-file %d/repository-password"))
            }
        }

        // A broken unit is caught: an unknown key (only a warning to systemd) and an ExecStart that does not exist.
        let report = directory.appending("kura-report.service")
        let good = try String(contentsOfFile: report, encoding: .utf8)
        try good.replacingOccurrences(of: "Nice=10", with: "Nicety=10").write(toFile: report, atomically: true, encoding: .utf8)
        let unknownKey = try Self.verify(paths)
        #expect(!unknownKey.stderr.isEmpty && unknownKey.stderr.contains("Nicety"))
        try good.replacingOccurrences(of: Kura.executable.path, with: "/nonexistent/kura").write(toFile: report, atomically: true, encoding: .utf8)
        let missing = try Self.verify(paths)
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/kura"))
    }

    @Test func crontabRunsTheSameJobsAsTheUnits() throws {
        let crontab = try String(contentsOfFile: Self.sourceRoot + "/scripts/cron/kura", encoding: .utf8)
        let jobs = crontab.split(separator: "\n").filter { line in
            guard let first = line.first else { return false }
            return first.isNumber || first == "*"
        }
        #expect(jobs.count == 4)
        // Five time fields, the user kura, then a command; each command parses as shell.
        for job in jobs {
            let fields = job.split(separator: " ", omittingEmptySubsequences: true)
            #expect(fields.count > 6 && fields[5] == "kura", "\(job)")
            let command = fields.dropFirst(6).joined(separator: " ").replacingOccurrences(of: "\\%", with: "%")
            #expect(try Kura.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-n", "-c", command]).status == 0, "\(command)")
        }
        for command in ["kura backup ", "kura media write ", "kura drill run ", "kura report --format prometheus"] {
            #expect(jobs.contains { $0.contains(command) }, "no cron job runs \(command)")
        }
    }
}

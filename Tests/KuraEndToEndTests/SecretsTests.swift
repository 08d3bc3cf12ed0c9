import Foundation
import Testing

/// Issue 12 item 8 through the built binary: commands kura starts never see kura's own secrets, the
/// files that hold secrets are created owner-only under umask 022, and kura runs with core dumps off.
@Suite struct SecretsTests {
    /// kura's secrets as a careless cron job might set them, each with a value to look for.
    static let secrets = ["KURA_NEW_PASSWORD": "new-password-6f1c", "KURA_CUSTODIAN_PASSWORD": "custodian-passphrase-93ad",
                          "KURA_FROM_PASSWORD": "from-password-2b7e"]

    /// The names and values of every secret that reached `text`, for a failure message that says which.
    static func leaks(in text: String, password: String, extra: [String: String] = secrets) -> [String] {
        var found = extra.flatMap { [$0.key + "=", $0.value] }.filter { text.contains($0) }
        if text.contains("KURA_PASSWORD=") { found.append("KURA_PASSWORD=") }
        if text.contains(password) { found.append(password) }
        return found
    }

    /// `stat(2)` permission bits of `path`.
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aFromCommandSourceGetsNoKuraSecretButEveryOtherVariable() throws {
        let fixture = try RepositoryFixture(name: "kura-secrets")
        let passwordFile = fixture.path("password")
        try Data("\(fixture.password)\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        var environment = Self.secrets
        environment["KURA_PASSWORD_FILE"] = passwordFile
        environment["PGDATABASE"] = "crm_ordinary"
        environment["AWS_SECRET_ACCESS_KEY"] = "aws-belongs-to-the-source"
        let backup = try fixture.kura(["backup", "--from-command", "env.txt=env", "--quiet"], environment: environment)
        #expect(backup.status == 0, "\(backup.stderr)")

        let dumped = try fixture.kura(["dump", "latest", "env.txt"])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        let env = dumped.output
        #expect(Self.leaks(in: env, password: fixture.password) == [])
        // Not kura's secrets: the source's own credentials, kura's settings and a path all pass.
        for kept in ["PGDATABASE=crm_ordinary", "AWS_SECRET_ACCESS_KEY=aws-belongs-to-the-source",
                     "KURA_PASSWORD_FILE=\(passwordFile)", "KURA_REPO=\(fixture.repo)"] {
            #expect(env.contains(kept), "\(kept) is missing from the source's environment")
        }
    }

    @Test func aPasswordCommandDoesNotSeeThePassword() throws {
        let fixture = try RepositoryFixture(name: "kura-secrets")
        let command = "test -z \"$KURA_PASSWORD\" && test -z \"$KURA_NEW_PASSWORD\" && echo '\(fixture.password)'"
        // KURA_PASSWORD is wrong on purpose: the command line's --password-command comes first and must not see it.
        let environment = ["KURA_PASSWORD": "a-wrong-password-9d2e", "KURA_NEW_PASSWORD": "new-password-6f1c"]
        let listed = try fixture.kura(["snapshots", "--password-command", command], environment: environment)
        #expect(listed.status == 0, "the password command saw a secret: \(listed.stderr)")
        // The same command with a variable kura does pass along fails, so the check above can fail.
        let control = try fixture.kura(["snapshots", "--password-command", "test -z \"$KURA_REPO\" && echo '\(fixture.password)'"])
        #expect(control.status == 1 && control.stderr.contains("password command failed"))
    }

    @Test func drillCommandsGetTheDrillVariablesButNoSecret() throws {
        let s = try RetentionSetup(custodians: ["alice", "bob"])
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data("dump\n".utf8))
        let restoreEnv = s.fixture.path("restore-env.txt"), verifyEnv = s.fixture.path("verify-env.txt")
        let drill = try s.kura(["drill", "latest", "--restore-command", "env > '\(restoreEnv)'; cat > /dev/null",
                                "--verify-command", "env > '\(verifyEnv)'", "--json"],
                               as: "alice", environment: ["KURA_NEW_PASSWORD": "new-password-6f1c"])
        #expect(drill.status == 0, "\(drill.stderr)")
        let custodian = ["KURA_CUSTODIAN_PASSWORD": CatalogFixture.passphrase(of: "alice"), "KURA_NEW_PASSWORD": "new-password-6f1c"]
        for file in [restoreEnv, verifyEnv] {
            let env = try String(contentsOfFile: file, encoding: .utf8)
            #expect(Self.leaks(in: env, password: s.fixture.password, extra: custodian) == [], "in \(file)")
            #expect(env.contains("KURA_DRILL_SNAPSHOT=") && env.contains("KURA_DRILL_REPOSITORY="), "in \(file)")
            #expect(env.contains("KURA_CATALOG=\(s.catalog.catalogPath)"), "in \(file)")
        }

        let source = s.fixture.path("src")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try Data("customer records\n".utf8).write(to: URL(fileURLWithPath: source + "/crm.csv"))
        try s.ok(["backup", source, "--quiet"])
        let directoryEnv = s.fixture.path("directory-env.txt")
        let directoryDrill = try s.kura(["drill", "latest", "--target", s.fixture.path("drill-target"),
                                         "--verify-command", "env > '\(directoryEnv)'"])
        #expect(directoryDrill.status == 0, "\(directoryDrill.stderr)")
        let env = try String(contentsOfFile: directoryEnv, encoding: .utf8)
        #expect(Self.leaks(in: env, password: s.fixture.password) == [])
        #expect(env.contains("KURA_DRILL_DIR=\(s.fixture.path("drill-target"))"))
    }

    @Test func filesHoldingSecretsAreOwnerOnlyUnderUmask022AndCoreDumpsAreOff() throws {
        let directory = try TemporaryDirectory("kura-modes")
        let repo = directory.appending("repo"), source = directory.appending("src")
        let catalog = directory.appending("data/kura/catalog.db"), cache = directory.appending("cache")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try Data("customer records\n".utf8).write(to: URL(fileURLWithPath: source + "/crm.csv"))
        let environment = ["KURA": Kura.executable.path, "KURA_REPO": repo, "KURA_PASSWORD": "modes password",
                           "KURA_CATALOG": catalog, "XDG_CACHE_HOME": cache]
        // A soft core limit above 0 and a umask that would leave new files readable by everyone.
        func kura(_ arguments: String) throws -> KuraResult {
            try Kura.shell("umask 022 && ulimit -S -c unlimited && exec \"$KURA\" \(arguments)", environment: environment)
        }
        for step in ["init", "backup --quiet '\(source)'",
                     "backup --quiet --from-command 'limits.txt=grep \"Max core file size\" /proc/$PPID/limits'"] {
            let result = try kura(step)
            #expect(result.status == 0, "kura \(step): \(result.stderr)")
        }

        // The running kura ($PPID of the source's `sh -c`) had soft and hard core limits of 0.
        let limits = try kura("dump latest limits.txt").output
        #expect(limits.range(of: #"^Max core file size\s+0\s+0\s+bytes"#, options: .regularExpression) != nil, "\(limits)")

        // The catalog: file 0600, each directory kura made for it 0700; the cache: directories 0700, file 0600.
        #expect(try Self.mode(catalog) == 0o600)
        #expect(try Self.mode(directory.appending("data/kura")) == 0o700 && Self.mode(directory.appending("data")) == 0o700)
        let cacheDirectory = cache + "/kura"
        let repositories = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
        #expect(repositories.count == 1)
        #expect(try Self.mode(cacheDirectory) == 0o700)
        for id in repositories {
            #expect(try Self.mode(cacheDirectory + "/" + id) == 0o700)
            #expect(try Self.mode(cacheDirectory + "/" + id + "/files") == 0o600)
            #expect(try Self.mode(cacheDirectory + "/" + id + "/snapshots") == 0o600)
        }

        // The repository: every file but config 0600, every directory inside it 0700.
        let walker = try #require(FileManager.default.enumerator(atPath: repo))
        var checked = 0
        while let name = walker.nextObject() as? String {
            let isDirectory = walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory
            let expected = isDirectory ? 0o700 : name == "config" ? 0o644 : 0o600
            #expect(try Self.mode(repo + "/" + name) == expected, "\(name)")
            checked += 1
        }
        #expect(checked >= 12)  // config, 5 directories, a key slot, a data/XX directory, packs, index files, snapshots

        // An existing catalog keeps the mode its operator gave it (0660 for a group), and kura leaves it so.
        try FileManager.default.setAttributes([.posixPermissions: 0o660], ofItemAtPath: catalog)
        let list = try kura("drill list")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(try Self.mode(catalog) == 0o660)
    }
}

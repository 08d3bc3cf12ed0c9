import Foundation
import Testing

/// libcurl (the S3 backend) and libarchive (media) are loaded by the commands that use them, not by every
/// command: together with what they link (ICU's data, TLS, Kerberos, LDAP, ...) they cost each command about
/// 0.07 s from a cold page cache, and a host that backs up to a local repository needs neither installed.
@Suite struct LibraryLoadingTests {
    private static let lazyLibraries = ["libcurl", "libarchive", "libxml2", "libicu"]

    /// The shared objects the dynamic loader reports loading for one run (`LD_DEBUG=libs`).
    private static func librariesLoaded(_ arguments: [String], environment: [String: String] = [:]) throws -> (KuraResult, [String]) {
        var environment = environment
        environment["LD_DEBUG"] = "libs"
        let result = try Kura.run(arguments, environment: environment)
        let loaded = result.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "calling init: ") else { return nil }
            return String(line[range.upperBound...])
        }
        return (result, loaded)
    }

    @Test func theBinaryDoesNotLinkCurlOrArchive() throws {
        let needed = try Kura.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "readelf -d '\(Kura.executable.path)' | grep NEEDED"])
        #expect(needed.status == 0 && needed.output.contains("libsodium"), "\(needed.stderr)")
        for name in ["libcurl", "libarchive"] { #expect(!needed.output.contains(name)) }
    }

    @Test func aBackupAndARestoreLoadNeitherAndMediaAndVersionLoadLibarchive() throws {
        let fixture = try RepositoryFixture()
        let source = fixture.path("data")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try Data("customer 1\n".utf8).write(to: URL(fileURLWithPath: source + "/customers.csv"))

        let (backup, backupLoaded) = try Self.librariesLoaded(["backup", "--repo", fixture.repo, "-q", source], environment: fixture.environment)
        #expect(backup.status == 0)
        #expect(!backupLoaded.isEmpty, "LD_DEBUG reported nothing")
        #expect(backupLoaded.contains { $0.contains("libsodium") })
        for name in Self.lazyLibraries { #expect(!backupLoaded.contains { $0.contains(name) }, "backup loaded \(name)") }

        let target = fixture.path("restored")
        let (restore, restoreLoaded) = try Self.librariesLoaded(["restore", "--repo", fixture.repo, "-q", "latest", "--target", target],
                                                                environment: fixture.environment)
        #expect(restore.status == 0, "\(restore.stderr.suffix(400))")
        for name in Self.lazyLibraries { #expect(!restoreLoaded.contains { $0.contains(name) }, "restore loaded \(name)") }

        let (version, versionLoaded) = try Self.librariesLoaded(["version"])
        #expect(version.status == 0 && version.output.contains("libarchive 3"))
        #expect(versionLoaded.contains { $0.contains("libarchive") })
    }
}

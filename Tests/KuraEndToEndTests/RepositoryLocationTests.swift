import Foundation
import Testing

/// `--repo` with a scheme kura has no backend for is refused before anything is made (issue 14): it used
/// to create a local directory named `sftp:host:` and a repository in it.
@Suite struct RepositoryLocationTests {
    /// Runs kura in `directory`, so a relative path the location might become would land there.
    private func kura(in directory: TemporaryDirectory, _ arguments: [String]) throws -> KuraResult {
        let quoted = ([Kura.executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try Kura.shell("cd '\(directory.path)' && \(quoted)", environment: ["KURA_PASSWORD": "pw"])
    }

    @Test func unsupportedSchemesAreRefusedAndCreateNothing() throws {
        for location in ["sftp:host:/x", "rclone:remote:bucket", "b2:bucket:path", "azure:container:/", "gs:bucket:/",
                         "rest:http://host:8000/", "swift:container:/"] {
            let directory = try TemporaryDirectory("kura-location")
            let result = try kura(in: directory, ["init", "--repo", location])
            #expect(result.status == 64, "\(location): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(location): \(result.stderr)")
            #expect(result.stderr.contains("not supported"), "\(location): \(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty,
                    "\(location) created something in the working directory")
        }
    }

    @Test func schemeFromEnvironmentIsRefusedForEveryCommand() throws {
        let directory = try TemporaryDirectory("kura-location")
        for command in [["snapshots"], ["backup", directory.path], ["check"]] {
            let result = try Kura.run(command, environment: ["KURA_REPO": "sftp:host:/srv/kura", "KURA_PASSWORD": "pw"])
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("'sftp:'"))
        }
    }

    /// An S3 location is recognised (not taken for a directory called `s3:https:`) even where this build
    /// cannot open it.
    @Test func s3LocationIsNotALocalDirectory() throws {
        let directory = try TemporaryDirectory("kura-location")
        let result = try kura(in: directory, ["init", "--repo", "s3:http://127.0.0.1:1/bucket"])
        #expect(result.status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        let malformed = try kura(in: directory, ["init", "--repo", "s3:bucket/prefix"])
        #expect(malformed.status == 64 && malformed.stderr.contains("s3:https://"), "\(malformed.stderr)")
    }

    /// A local directory whose name has a colon still works, written as a path.
    @Test func localDirectoryWithColonWorksAsDotSlash() throws {
        let directory = try TemporaryDirectory("kura-location")
        let result = try kura(in: directory, ["init", "--repo", "./backup:2026"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appending("backup:2026/config")))
        let absolute = try Kura.run(["init", "--repo", directory.appending("abs:dir")], environment: ["KURA_PASSWORD": "pw"])
        #expect(absolute.status == 0, "an absolute path with a colon after a slash is a path: \(absolute.stderr)")
    }
}

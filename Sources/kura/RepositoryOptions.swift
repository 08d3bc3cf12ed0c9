import ArgumentParser
import Foundation
import KuraRepository
import KuraStorage

/// How to reach a repository and unlock it; shared by every repository command.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .long],
            help: ArgumentHelp("Repository: a directory, or s3:http[s]://HOST[:PORT]/BUCKET[/PREFIX] with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set (default: $KURA_REPO). Other schemes (sftp:, rclone:, b2:, ...) are refused.",
                               valueName: "location"))
    var repo: String?

    @Option(help: ArgumentHelp("Read the repository password from the first line of this file (default: $KURA_PASSWORD_FILE).", valueName: "file"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Run this shell command and use the first line it prints as the password (default: $KURA_PASSWORD_COMMAND).", valueName: "command"))
    var passwordCommand: String?

    /// `--repo`, else `$KURA_REPO`, as given; nil when neither names a repository.
    var location: String? {
        if let repo, !repo.isEmpty { return repo }
        if let repo = ProcessInfo.processInfo.environment["KURA_REPO"], !repo.isEmpty { return repo }
        return nil
    }

    /// The backend `--repo` names; a scheme kura has no backend for is a usage error (exit 64), found
    /// before anything is created.
    var backend: any Backend {
        get throws {
            guard let location else { throw ValidationError("no repository given: pass --repo or set KURA_REPO") }
            return try Self.backend(at: location)
        }
    }

    /// The backend a location names (`--repo`, `--from-repo`).
    static func backend(at location: String) throws -> any Backend {
        do {
            return try BackendLocation.open(location, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CommandFailure(error.message, exitCode: error.code == .invalidLocation ? .usage : .failure)
        }
    }


    func passwordSource(confirm: Bool = false) -> SecretSource {
        SecretSource(file: passwordFile, command: passwordCommand, environmentName: "KURA_PASSWORD",
                     prompt: "repository password: ", confirm: confirm)
    }

    /// Opens the repository with the password, trying every key slot.
    func open() throws -> Repository {
        let backend = try backend
        _ = try Repository.readConfig(from: backend)  // "no repository" before a password is asked for
        let repository = try Repository.open(backend: backend, password: try passwordSource().read(), warn: { Terminal.warn($0) })
        return repository.using(.standard(for: repository.id))
    }
}

/// --json and --quiet, for commands that report something.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON on stdout (kura-json(5)); a failure as {\"error\": {\"code\", \"message\"}}.")
    var json = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing on success (warnings and errors still go to stderr).")
    var quiet = false
}

import ArgumentParser
import Foundation
import KuraRepository
import KuraStorage

/// How to reach a repository and unlock it; shared by every repository command.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .long],
            help: ArgumentHelp("Repository directory (default: $KURA_REPO). Other schemes (sftp:, rclone:, …) are refused.",
                               valueName: "path"))
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
            do {
                return try BackendLocation.open(location)
            } catch {
                throw CommandFailure(error.message, exitCode: error.code == .invalidLocation ? .usage : .failure)
            }
        }
    }

    /// The repository directory. Until the repository works through `Backend` alone, only a local one opens.
    var repositoryPath: String {
        get throws {
            guard let local = try backend as? LocalBackend else {
                throw CommandFailure("only local repositories are supported by this build", exitCode: .usage)
            }
            return local.root
        }
    }

    func passwordSource(confirm: Bool = false) -> SecretSource {
        SecretSource(file: passwordFile, command: passwordCommand, environmentName: "KURA_PASSWORD",
                     prompt: "repository password: ", confirm: confirm)
    }

    /// Opens the repository with the password, trying every key slot.
    func open() throws -> Repository {
        let path = try repositoryPath
        let config = try Repository.readConfig(at: path)
        _ = config
        return try Repository.open(at: path, password: try passwordSource().read(), warn: { Terminal.warn($0) })
    }
}

/// --json and --quiet, for commands that report something.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON on stdout (kura-json(5)); a failure as {\"error\": {\"code\", \"message\"}}.")
    var json = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing on success (warnings and errors still go to stderr).")
    var quiet = false
}

import ArgumentParser
import Foundation
import KuraRepository

/// How to reach a repository and unlock it; shared by every repository command.
struct RepositoryOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("Repository directory (default: $KURA_REPO).", valueName: "path"))
    var repo: String?

    @Option(help: ArgumentHelp("Read the repository password from the first line of this file (default: $KURA_PASSWORD_FILE).", valueName: "file"))
    var passwordFile: String?

    @Option(help: ArgumentHelp("Run this shell command and use the first line it prints as the password (default: $KURA_PASSWORD_COMMAND).", valueName: "command"))
    var passwordCommand: String?

    var repositoryPath: String {
        get throws {
            if let repo, !repo.isEmpty { return repo }
            if let repo = ProcessInfo.processInfo.environment["KURA_REPO"], !repo.isEmpty { return repo }
            throw ValidationError("no repository given: pass --repo or set KURA_REPO")
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
    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(name: [.customShort("q"), .long], help: "Print nothing on success (warnings and errors still go to stderr).")
    var quiet = false
}

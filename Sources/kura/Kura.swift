import ArgumentParser
import Foundation

@main
struct Kura: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kura",
        abstract: "Deduplicated, compressed, encrypted backups of a customer database, and a catalog of every medium they are written to.",
        discussion: """
        Repository: --repo or KURA_REPO. Password: KURA_PASSWORD, KURA_PASSWORD_FILE or \
        --password-file, --password-command, or a prompt on a terminal.

        Exit codes: 0 success, 1 failure, 3 backup made but some sources were unreadable, \
        10 repository not found, 11 repository locked, 12 wrong password or key, \
        20 a catalog rule refused the action, 64 usage error.
        """,
        version: version,
        subcommands: repositoryCommands + catalogCommands + retentionCommands)

    static let repositoryCommands: [any ParsableCommand.Type] = [
        Init.self, Backup.self, Snapshots.self, Ls.self, Restore.self, Dump.self, Check.self, Key.self, Unlock.self,
    ]

    /// Runs the command and turns kura's own errors into one line on stderr and their exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as any UserFacingError {
            Terminal.printError(error.userMessage)
            Foundation.exit(error.exitCode.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

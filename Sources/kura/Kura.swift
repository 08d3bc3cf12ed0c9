import ArgumentParser
import Foundation
import KuraCrypto
import KuraRepository
import KuraSystem

@main
struct Kura: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kura",
        abstract: "Deduplicated, compressed, encrypted backups of a customer database, and a catalog of every medium they are written to.",
        discussion: """
        Repository: --repo or KURA_REPO. Password: KURA_PASSWORD, KURA_PASSWORD_FILE or \
        --password-file, --password-command or KURA_PASSWORD_COMMAND, or a prompt on a terminal. Commands kura runs \
        (--from-command, --password-command, a drill's commands) do not inherit kura's secrets: \
        no KURA_ variable naming a PASSWORD, PASSPHRASE, SECRET or TOKEN, except the _FILE paths.

        Exit codes: 0 success, 1 failure, 3 backup made but some sources were unreadable, \
        10 repository not found, 11 repository locked, 12 wrong password or key, \
        20 a catalog rule refused the action, 21 catalog not found (commands that only read the catalog \
        never create one), 64 usage error (also a --catalog that is a URL), 130/143 interrupted by SIGINT/SIGTERM (the \
        commands kura started are ended, its locks and temporary files removed, nothing is committed).
        """,
        version: version,
        subcommands: repositoryCommands + catalogCommands + retentionCommands + [Version.self])

    static let repositoryCommands: [any ParsableCommand.Type] = [
        Init.self, Backup.self, Snapshots.self, Ls.self, Diff.self, Find.self, Stats.self, Restore.self, Dump.self, Copy.self, Check.self, Repair.self, Key.self, Unlock.self,
    ]

    /// Runs the command and turns kura's own errors into one line on stderr and their exit code; with `--json`,
    /// also a JSON error object on stdout.
    static func main() {
        Interruption.install()
        var wantsJSON = JSONRequest.wanted(arguments: Array(CommandLine.arguments.dropFirst()))
        do {
            try prepareProcess()
            var command = try parseAsRoot()
            wantsJSON = JSONRequest.wanted(by: command)
            try command.run()
            Interruption.yieldIfInterrupted()
        } catch let error as any UserFacingError {
            Interruption.yieldIfInterrupted()
            if wantsJSON && !Terminal.printedJSON.load(ordering: .relaxed) {
                try? Terminal.printJSON(JSONError(code: error.exitCode.rawValue, message: error.userMessage))
            }
            Terminal.printError(error.userMessage)
            Foundation.exit(error.exitCode.rawValue)
        } catch {
            Interruption.yieldIfInterrupted()
            // An ExitCode is the status of a result already printed (a partial backup, a failed check).
            let code = exitCode(for: error).rawValue
            if wantsJSON && code != 0 && !(error is ExitCode) && !Terminal.printedJSON.load(ordering: .relaxed) {
                try? Terminal.printJSON(JSONError(code: code, message: message(for: error)))
            }
            exit(withError: error)
        }
    }

    /// Before anything is read: no core dumps for the rest of the process (one would hold the passwords
    /// and keys kura has in memory), and a libsodium that initialized.
    static func prepareProcess() throws {
        do {
            try CoreDumps.disable()
        } catch {
            throw CommandFailure("cannot disable core dumps, so secrets could reach a core file: \(error)")
        }
        do {
            try Sodium.initialize()
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

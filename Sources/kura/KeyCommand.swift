import ArgumentParser
import Foundation
import KuraRepository
import KuraText

extension Kura {
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Manage the repository's key slots (passwords).",
            discussion: "A full key reads and writes everything. A write-only key backs up and deduplicates but cannot read any snapshot or pack, old or new: give it to the hosts that only make backups.",
            subcommands: [List.self, Add.self, Remove.self, Passwd.self])
    }
}

/// Where a new password comes from: --new-password-file, KURA_NEW_PASSWORD_FILE, KURA_NEW_PASSWORD, or a prompt.
struct NewPasswordOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the new password from the first line of this file (default: $KURA_NEW_PASSWORD_FILE, $KURA_NEW_PASSWORD, or a prompt).", valueName: "file"))
    var newPasswordFile: String?

    func read() throws -> String {
        let password = try SecretSource(file: newPasswordFile, command: nil, environmentName: "KURA_NEW_PASSWORD",
                                        prompt: "new password: ", confirm: true).read()
        guard !password.isEmpty else { throw CommandFailure("an empty password is not allowed") }
        return password
    }
}

extension Kura.Key {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the key slots; '*' marks the one the password opened.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let repo = try repository.open()
            let slots = try repo.keySlots()
            if output.json {
                try Terminal.printJSON(slots.map { KeyJSON(id: $0.id, kind: $0.slot.kind.rawValue, created: $0.slot.created,
                                                           hostname: $0.slot.hostname, username: $0.slot.username,
                                                           current: $0.id == repo.keySlotID) })
                return
            }
            if output.quiet { return }
            var rows = TextTable([.init(""), .init("ID", minimumWidth: 8), .init("Kind"), .init("Created", minimumWidth: 26), .init("Host"), .init("User")])
            for (id, slot) in slots.sorted(by: { $0.slot.created < $1.slot.created }) {
                rows.append([id == repo.keySlotID ? "*" : "", String(id.prefix(8)), slot.kind.rawValue, LocalTime.format(slot.created),
                             slot.hostname, slot.username])
            }
            table.print(rows)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a key slot with a new password.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var newPassword: NewPasswordOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "The new key can back up but not read or restore anything.")
        var writeOnly = false

        func run() throws {
            let repo = try repository.open()
            if repo.isWriteOnly && !writeOnly {
                throw CommandFailure("this key is write-only: it can only add write-only keys (use --write-only)", exitCode: .wrongPasswordOrKey)
            }
            let id = try repo.addKey(password: try newPassword.read(), writeOnly: writeOnly)
            if output.json {
                guard let slot = try repo.keySlots().first(where: { $0.id == id })?.slot else {
                    throw CommandFailure("key \(id.prefix(8)) was added but its slot cannot be read back")
                }
                try Terminal.printJSON(KeyJSON(id: id, kind: slot.kind.rawValue, created: slot.created, hostname: slot.hostname,
                                               username: slot.username, current: false))
            } else if !output.quiet {
                print("added \(writeOnly ? "write-only" : "full") key \(id.prefix(8))")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a key slot.",
            discussion: "The last full key cannot be removed, nor the key whose password you are using.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The key's id or a unique prefix of it (see 'kura key list').")
        var id: String

        func run() throws {
            let repo = try repository.open()
            try repo.removeKey(id)
            if !output.quiet && !output.json { print("removed key \(id)") }
            if output.json { try Terminal.printJSON(["removed": id]) }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Change the password of the key in use (its slot is replaced).")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var newPassword: NewPasswordOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let repo = try repository.open()
            let id = try repo.changePassword(to: try newPassword.read())
            if output.json {
                try Terminal.printJSON(["id": id])
            } else if !output.quiet {
                print("password changed; the key is now \(id.prefix(8))")
            }
        }
    }
}

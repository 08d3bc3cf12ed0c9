import Foundation
import KuraCrypto
import KuraRepository
import KuraSystem

/// Where a password comes from, in this order: a file or command named on the command line,
/// the environment (`NAME_FILE`, `NAME_COMMAND`, then `NAME`), and last a prompt on a terminal.
struct SecretSource {
    var file: String?
    var command: String?
    /// The environment variable, e.g. KURA_PASSWORD; NAME_FILE is read too.
    var environmentName: String
    var prompt: String
    /// Ask twice on a terminal (for a new password).
    var confirm = false

    func read() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let file { return try Self.readFile(file, what: "password file") }
        if let command { return try Self.run(command) }
        if let file = environment[environmentName + "_FILE"], !file.isEmpty {
            return try Self.readFile(file, what: "\(environmentName)_FILE")
        }
        if let command = environment[environmentName + "_COMMAND"], !command.isEmpty { return try Self.run(command) }
        if let value = environment[environmentName] { return value }
        guard let first = Terminal.readSecret(prompt: prompt) else {
            throw CommandFailure("no password given: set \(environmentName) or \(environmentName)_FILE, or run on a terminal",
                                 exitCode: .wrongPasswordOrKey)
        }
        if confirm {
            guard let second = Terminal.readSecret(prompt: "enter it again: "), second == first else {
                throw CommandFailure("the two passwords differ")
            }
        }
        return first
    }

    /// The first line of a file, without its line ending. The bytes read are wiped; the `String` made from
    /// them cannot be (see `SecureMemory`).
    static func readFile(_ path: String, what: String) throws -> String {
        guard var data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(what) \(path)")
        }
        defer { data.withUnsafeMutableBytes { SecureMemory.wipe($0) } }
        return firstLine(String(decoding: data, as: UTF8.self))
    }

    /// Runs `command` with /bin/sh (without kura's secrets in its environment: `ChildProcess`) and takes
    /// the first line of its output; the bytes read are wiped.
    static func run(_ command: String) throws -> String {
        let child = try ChildProcess(shell: command, ownGroup: false)
        var data = try child.readAll()
        defer { SecureMemory.wipe(&data) }
        guard child.wait() == .exited(0) else {
            throw CommandFailure("password command failed: \(command)")
        }
        return firstLine(String(decoding: data, as: UTF8.self))
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}

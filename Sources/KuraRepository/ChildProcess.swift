import KuraCrypto
import KuraSystem

/// A shell command (`sh -c` through `posix_spawn(3)`), optionally in a working directory and with extra
/// environment variables. Either its standard output is a pipe kura reads (`--from-command` sources,
/// `--password-command`, a drill's verify command; standard input is /dev/null), or, with `feedInput`,
/// its standard input is a pipe kura writes (a drill's restore command such as `psql -q drilldb`; its
/// standard output then goes to kura's standard error, so `--json` stays clean). Standard error passes
/// through. kura waits with `waitpid(2)` itself: Foundation's Process can miss a child's exit on Linux
/// when several run at once.
///
/// Every child starts from kura's environment without kura's own secrets (`isKuraSecret`): a source
/// such as `env` would otherwise store `KURA_PASSWORD` inside the backup, and a drill's commands would
/// see the repository and custodian passwords. The variables a caller passes in `environment` (the
/// drill's `KURA_DRILL_*`) are added afterwards and always reach the child. Everything else passes
/// unchanged, `PG*` and `AWS_*` included: they are the source command's credentials, not kura's.
public final class ChildProcess {
    /// Whether `name` is one of kura's own secrets, which no child inherits: a `KURA_` variable whose
    /// name contains `PASSWORD`, `PASSPHRASE`, `SECRET` or `TOKEN` (`KURA_PASSWORD`, `KURA_NEW_PASSWORD`,
    /// `KURA_CUSTODIAN_PASSWORD`, `KURA_FROM_PASSWORD`, and any added later), except the `_FILE` ones.
    /// `KURA_PASSWORD_FILE` and its kind name a path, not a secret: a child runs as the same user and
    /// could read that file with or without the variable, and a drill's verify command that runs kura
    /// again finds the password through it (the password itself no longer arrives by inheritance).
    public static func isKuraSecret(_ name: String) -> Bool {
        guard name.hasPrefix("KURA_"), !name.hasSuffix("_FILE") else { return false }
        return ["PASSWORD", "PASSPHRASE", "SECRET", "TOKEN"].contains { name.contains($0) }
    }

    /// kura's environment (`environ`) without its secrets, with `extra` added over it.
    static func childEnvironment(adding extra: [String: String]) -> [String: String] {
        var env: [String: String] = [:]
        for (name, value) in Posix.environment where !isKuraSecret(name) { env[name] = value }
        env.merge(extra) { $1 }
        return env
    }

    public typealias Termination = ProcessTermination

    public let pid: Int32
    private var reaped = false
    /// The write end of the command's standard input (-1 when it has none or it was closed).
    public private(set) var input: Int32 = -1
    /// The read end of the command's standard output (-1 with `feedInput`, or once read to the end).
    public private(set) var output: Int32 = -1
    private let command: String
    private var interruptToken = 0

    /// `ownGroup`: the command runs in a process group of its own, so ending kura ends it and whatever it
    /// started (`Interruption`); false only for a command that may need the terminal, such as a password prompt.
    public init(shell command: String, feedInput: Bool = false, directory: String? = nil, environment: [String: String] = [:],
                ownGroup: Bool = true) throws {
        self.command = command
        // In a directory: the shell changes into it, then evaluates the command as given.
        let arguments = directory.map { ["sh", "-c", "cd -- \"$1\" && eval \"$2\"", "sh", $0, command] } ?? ["sh", "-c", command]
        let spawned = try Posix.spawnShell(arguments: arguments, environment: Self.childEnvironment(adding: environment),
                                           feedInput: feedInput, ownGroup: ownGroup, describing: command)
        pid = spawned.pid
        input = spawned.input
        output = spawned.output
        interruptToken = Interruption.track(child: spawned.pid, ownGroup: ownGroup)
    }

    /// Writes to the command's standard input; a command that stopped reading is an error naming it.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try Posix.writeFully(input, bytes, path: "the input of '\(command)'")
        } catch let error as SystemError where error.isBrokenPipe {
            throw RepositoryError(.sourceFailed, "'\(command)' stopped reading its input before the end of a chunk of \(bytes.count) bytes")
        }
    }

    /// Ends the command's input (end of file).
    public func closeInput() {
        if input >= 0 { Posix.close(input); input = -1 }
    }

    /// Everything the command printed (for a verify command), up to `limit` bytes kept; reads to the end.
    public func readOutput(limit: Int = 1 << 16) throws -> [UInt8] {
        guard output >= 0 else { return [] }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        defer { SecureMemory.wipe(&buffer) }  // it last held the end of the output: a password, for `readAll`
        while true {
            let n = try buffer.withUnsafeMutableBytes { try Posix.read(output, into: $0, path: "output of '\(command)'") }
            if n == 0 { break }
            if data.count < limit { data += buffer[..<min(n, limit - data.count)] }
        }
        Posix.close(output)
        output = -1
        return data
    }

    /// Everything the command writes to standard output, for short outputs such as a password.
    public func readAll() throws -> [UInt8] { try readOutput(limit: .max) }

    /// Ends a command that is no longer wanted.
    public func terminate() {
        if !reaped { Posix.terminate(pid) }
    }

    /// Waits for the command to end (`waitpid(2)`).
    public func wait() -> Termination {
        closeInput()
        if output >= 0 { Posix.close(output); output = -1 }
        let termination = Posix.waitForExit(pid)
        reaped = true
        Interruption.forget(interruptToken)
        return termination
    }
}

import Glibc
import KuraCrypto

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
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let eq = text.firstIndex(of: "=") {
                let name = String(text[..<eq])
                if !isKuraSecret(name) { env[name] = String(text[text.index(after: eq)...]) }
            }
            entry += 1
        }
        env.merge(extra) { $1 }
        return env
    }


    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    public let pid: pid_t
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
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Posix.error("pipe", command) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if feedInput {
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_adddup2(&actions, 2, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        }
        let env = Self.childEnvironment(adding: environment)
        // In a directory: the shell changes into it, then evaluates the command as given.
        let arguments = directory.map { ["sh", "-c", "cd -- \"$1\" && eval \"$2\"", "sh", $0, command] } ?? ["sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        // kura blocks SIGINT and SIGTERM for its signal thread (`Interruption`); the command gets them back.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = Posix.interruptSignals
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        if feedInput {
            Glibc.close(fds[0])
            input = fds[1]
        } else {
            Glibc.close(fds[1])
            output = fds[0]
        }
        guard rc == 0 else {
            Glibc.close(feedInput ? fds[1] : fds[0])
            throw Posix.error("posix_spawn", "/bin/sh -c \(command)", errno: rc)
        }
        pid = child
        interruptToken = Interruption.track(child: child, ownGroup: ownGroup)
    }

    /// Writes to the command's standard input; a command that stopped reading is an error naming it.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(input, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE {
                    throw RepositoryError(.sourceFailed, "'\(command)' stopped reading its input after \(done) of \(bytes.count) bytes of a chunk")
                }
                throw Posix.error("write", "the input of '\(command)'")
            }
            done += n
        }
    }

    /// Ends the command's input (end of file).
    public func closeInput() {
        if input >= 0 { Glibc.close(input); input = -1 }
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
        Glibc.close(output)
        output = -1
        return data
    }

    /// Everything the command writes to standard output, for short outputs such as a password.
    public func readAll() throws -> [UInt8] { try readOutput(limit: .max) }

    /// Ends a command that is no longer wanted.
    public func terminate() {
        if !reaped { kill(pid, SIGTERM) }
    }

    /// Waits for the command to end (`waitpid(2)`).
    public func wait() -> Termination {
        closeInput()
        if output >= 0 { Glibc.close(output); output = -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        Interruption.forget(interruptToken)
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

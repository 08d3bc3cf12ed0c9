#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command started by `Posix.spawnShell`: its pid and the kura end of its pipe.
public struct SpawnedProcess: Sendable {
    public let pid: pid_t
    /// The write end of the command's standard input, or -1.
    public let input: Int32
    /// The read end of the command's standard output, or -1.
    public let output: Int32
}

extension Posix {
    /// The process environment (`environ(7)`) as name and value pairs, in order.
    public static var environment: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let eq = text.firstIndex(of: "=") {
                result.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
            }
            entry += 1
        }
        return result
    }

    /// `pipe(2)` and `posix_spawn(3)` of `/bin/sh` with `arguments` (argv[0] included) and exactly
    /// `environment`. Either the command's standard output is a pipe kura reads (standard input is
    /// /dev/null) or, with `feedInput`, its standard input is a pipe kura writes (its standard output
    /// goes to kura's standard error). SIGINT, SIGTERM and SIGPIPE are back at their defaults and
    /// unblocked in the command; with `ownGroup` it leads a process group of its own.
    public static func spawnShell(arguments: [String], environment: [String: String], feedInput: Bool, ownGroup: Bool,
                                  describing command: String) throws -> SpawnedProcess {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw error("pipe", command) }
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
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        // kura blocks SIGINT and SIGTERM for its signal thread (`Interruption`); the command gets them back.
        var child: pid_t = 0
        let rc = withSpawnAttributes(defaulting: [SIGINT, SIGTERM, SIGPIPE], ownGroup: ownGroup) { attributes in
            posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
        }
        Glibc.close(feedInput ? fds[0] : fds[1])
        guard rc == 0 else {
            Glibc.close(feedInput ? fds[1] : fds[0])
            throw error("posix_spawn", "/bin/sh -c \(command)", errno: rc)
        }
        return SpawnedProcess(pid: child, input: feedInput ? fds[1] : -1, output: feedInput ? -1 : fds[0])
    }

    /// Calls `body` with a `posix_spawnattr_t` (`posix_spawnattr_init`, destroyed after) for a child
    /// that starts as a user's would: no signal blocked (`POSIX_SPAWN_SETSIGMASK`, an empty set: the
    /// spawning thread may block nearly all) and `defaulting` back at their default action
    /// (`POSIX_SPAWN_SETSIGDEF`); with `ownGroup`, leading a process group of its own.
    public static func withSpawnAttributes<T>(defaulting signals: [Int32], ownGroup: Bool = false,
                                              _ body: (inout posix_spawnattr_t) -> T) -> T {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in signals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        return body(&attributes)
    }

    /// `waitpid(2)`, retried on EINTR: how the process ended.
    public static func waitForExit(_ pid: pid_t) -> ProcessTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// `kill(2)` with SIGTERM.
    public static func terminate(_ pid: pid_t) { _ = kill(pid, SIGTERM) }

    /// `raise(3)` of SIGKILL: ends this process at once (the crash-safety test hooks).
    public static func killSelf() -> Never {
        raise(SIGKILL)
        while true { pause() }
    }

    /// `signal(SIGPIPE, SIG_IGN)`: a write to a command that stopped reading fails with EPIPE instead of
    /// ending kura.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }
}

/// How a process ended (`waitpid(2)`'s status).
public enum ProcessTermination: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)
}

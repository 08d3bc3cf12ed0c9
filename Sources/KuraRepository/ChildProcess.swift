import Glibc

/// A command run with `/bin/sh -c` through `posix_spawn(3)`, its standard output on a pipe and its
/// standard error passed through. (Foundation's Process can miss a child's exit on Linux when
/// several run at once; kura waits with `waitpid(2)` itself.)
public final class ChildProcess {
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    public let pid: pid_t
    /// The read end of the child's standard output.
    public let output: Int32
    private var reaped = false

    public init(shell command: String) throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Posix.error("pipe", command) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("sh"), strdup("-c"), strdup(command), nil]
        defer { for p in argv { free(p) } }
        let rc = posix_spawn(&child, "/bin/sh", &actions, nil, argv, environ)
        Glibc.close(fds[1])
        guard rc == 0 else {
            Glibc.close(fds[0])
            throw Posix.error("posix_spawn", "/bin/sh -c \(command)", errno: rc)
        }
        pid = child
        output = fds[0]
    }

    /// Everything the child writes to standard output, for short outputs such as a password.
    public func readAll() throws -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try Posix.read(output, into: $0, path: "command output") }
            if n == 0 { return data }
            data += buffer[..<n]
        }
    }

    /// Waits for the child to end (`waitpid(2)`).
    public func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        Glibc.close(output)
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// Ends a child that is no longer wanted.
    public func terminate() {
        if !reaped { kill(pid, SIGTERM) }
    }
}

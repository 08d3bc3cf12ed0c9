import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KuraSystem

struct PosixFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the built `kura` binary like a user would, and temporary directories to run it in.
struct KuraResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var output: String { String(decoding: stdout, as: UTF8.self) }
}

enum Kura {
    /// The `kura` executable next to the test bundle in the build directory.
    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("kura")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        if let bin = ProcessInfo.processInfo.environment["KURA_BINARY"] { return URL(fileURLWithPath: bin) }
        fatalError("cannot find the kura binary near \(CommandLine.arguments[0]); set KURA_BINARY")
    }()

    /// Runs kura with `arguments`; `environment` is added to a clean one (PATH, HOME, and what is given).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
        try runProgram(executable, arguments, environment: environment, stdin: stdin)
    }

    /// Spawns with `posix_spawn` and collects both outputs with `poll`, feeding `stdin` as it goes.
    /// (Foundation's Process can miss a child's exit when many run at once on Linux.)
    static func runProgram(_ program: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> KuraResult {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root"]
        // scripts/sanitize's options reach the sanitized kura too.
        for (name, value) in ProcessInfo.processInfo.environment where ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"].contains(name) {
            env[name] = value
        }
        env.merge(environment) { $1 }
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw PosixFailure("pipe") }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin == nil {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program.path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        // A child starts as a user's would: no signal blocked, none ignored. Without this it inherits the
        // mask of the Dispatch thread the test runs on (nearly every signal blocked), and a shell's `wait`
        // never hears of its children (dash waits for a SIGCHLD that stays blocked).
        var pid: pid_t = 0
        let rc = Posix.withSpawnAttributes(defaulting: [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD]) { attributes in
            posix_spawn(&pid, program.path, &actions, &attributes, argv, envp)
        }
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw PosixFailure("posix_spawn \(program.path): \(String(cString: strerror(rc)))")
        }
        let input = [UInt8](stdin ?? Data())
        var written = 0
        var inFD: Int32 = inPipe[1]
        if input.isEmpty { close(inFD); inFD = -1 } else { _ = fcntl(inFD, F_SETFL, O_NONBLOCK) }
        var out = [UInt8](), err = [UInt8]()
        var open: [Int32] = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        signal(SIGPIPE, SIG_IGN)
        while !open.isEmpty || inFD >= 0 {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 { if errno == EINTR { continue }; break }
            for p in fds where p.revents != 0 {
                if p.fd == inFD {
                    let n = input[written...].withUnsafeBytes { write(inFD, $0.baseAddress, min($0.count, 1 << 16)) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EAGAIN || written == input.count { close(inFD); inFD = -1 }
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if p.fd == outPipe[0] { out += buffer[..<n] } else { err += buffer[..<n] }
                } else if n == 0 || errno != EINTR && errno != EAGAIN {
                    close(p.fd)
                    open.removeAll { $0 == p.fd }
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return KuraResult(status: code, stdout: Data(out), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs a shell command line (for test setup), failing the test's precondition on error.
    @discardableResult
    static func shell(_ command: String, environment: [String: String] = [:]) throws -> KuraResult {
        try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", command], environment: environment)
    }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init(_ name: String = "kura-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func appending(_ component: String) -> String { url.appendingPathComponent(component).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

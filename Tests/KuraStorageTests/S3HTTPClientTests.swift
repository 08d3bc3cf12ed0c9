import Foundation
import Testing
@testable import KuraStorage

/// The HTTP client under the S3 backend, against a plain HTTP server (Python's `http.server`): an
/// answer longer than the caller allows is refused rather than held in memory, a refused connection
/// is a transient failure, and the connection is reused across requests.
@Suite("S3 HTTP client (libcurl)") struct S3HTTPClientTests {
    /// `python3 -m http.server` serving `directory` on a free loopback port.
    final class FileServer {
        let process: Process
        let port: Int

        init(serving directory: String) throws {
            port = Int.random(in: 42000..<52000)
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let client = S3HTTPClient(timeout: 5)
            for _ in 0..<100 {
                if (try? client.send(method: "HEAD", url: "http://127.0.0.1:\(port)/", headers: [], body: nil, responseLimit: 1 << 20)) != nil { return }
                usleep(100_000)
            }
            stop()
            throw CocoaError(.fileReadUnknown)
        }

        deinit { stop() }

        /// SIGKILL: the test process may block SIGTERM, and a child spawned by Foundation inherits that.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func anAnswerLongerThanAllowedIsRefusedNotKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kura-http-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: directory.appendingPathComponent("big"))
        let server = try FileServer(serving: directory.path)
        let client = S3HTTPClient(timeout: 5)
        let url = "http://127.0.0.1:\(server.port)/big"

        let whole = try client.send(method: "GET", url: url, headers: [], body: nil, responseLimit: 4 << 20)
        #expect(whole.status == 200)
        #expect(whole.body == bytes)
        #expect(whole.headers["content-length"] == String(3 << 20))

        let failure = try #require(throws: S3TransportFailure.self) {
            try client.send(method: "GET", url: url, headers: [], body: nil, responseLimit: 1 << 20)
        }
        #expect(!failure.isTransient)
        #expect(failure.description.contains("longer than"), "\(failure.description)")
    }

    @Test func aRefusedConnectionIsTransientAndSaysWhere() throws {
        let client = S3HTTPClient(timeout: 2)
        let failure = try #require(throws: S3TransportFailure.self) {
            try client.send(method: "GET", url: "http://127.0.0.1:9/nothing", headers: [], body: nil, responseLimit: 1 << 20)
        }
        #expect(failure.isTransient)
        #expect(failure.description.contains("127.0.0.1"), "\(failure.description)")
    }
}

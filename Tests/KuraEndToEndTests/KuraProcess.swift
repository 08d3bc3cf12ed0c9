import Foundation

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
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                    currentDirectory: URL? = nil) throws -> KuraResult {
        try runProgram(executable, arguments, environment: environment, stdin: stdin, currentDirectory: currentDirectory)
    }

    static func runProgram(_ program: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
                           currentDirectory: URL? = nil) throws -> KuraResult {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root"]
        env.merge(environment) { $1 }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            DispatchQueue.global().async {
                input.fileHandleForWriting.write(stdin)
                try? input.fileHandleForWriting.close()
            }
        }
        var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return KuraResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
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

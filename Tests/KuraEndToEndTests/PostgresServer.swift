import Foundation

/// A throwaway PostgreSQL cluster on a Unix socket in a temporary directory, started by the test
/// itself (as the `postgres` user when the tests run as root, since PostgreSQL refuses root).
final class PostgresServer {
    let directory: TemporaryDirectory
    let port: Int
    var socketDirectory: String { directory.appending("socket") }
    private let binDirectory: String
    private let runAs: String?

    static func binDirectory() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { "/usr/lib/postgresql/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    init() throws {
        guard let bin = Self.binDirectory() else { throw PostgresError("PostgreSQL is not installed (apt-get install postgresql)") }
        binDirectory = bin
        directory = try TemporaryDirectory("kura-pg")
        port = 20000 + Int.random(in: 0..<20000)
        runAs = geteuid() == 0 ? "postgres" : nil
        try FileManager.default.createDirectory(atPath: directory.appending("socket"), withIntermediateDirectories: true)
        if let runAs {
            try run("chown -R \(runAs) '\(directory.path)' && chmod 755 '\(directory.path)'", asServerUser: false)
        }
        try run("'\(bin)/initdb' -D '\(directory.appending("data"))' -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null")
        try run("'\(bin)/pg_ctl' -D '\(directory.appending("data"))' -l '\(directory.appending("log"))' -w -o \"-k '\(socketDirectory)' -p \(port) -c listen_addresses='' -c fsync=off\" start >/dev/null 2>&1 </dev/null")
    }

    /// Connection options for psql, pg_dump, createdb.
    var connection: String { "-h '\(socketDirectory)' -p \(port) -U postgres" }

    /// A shell command line that runs `command` as the server's user.
    func asUser(_ command: String) -> String {
        guard let runAs else { return command }
        return "runuser -u \(runAs) -- sh -c \"\(command.replacingOccurrences(of: "\"", with: "\\\""))\""
    }

    @discardableResult
    func run(_ command: String, asServerUser: Bool = true) throws -> String {
        let line = asServerUser ? asUser(command) : command
        let result = try Kura.shell(line)
        guard result.status == 0 else { throw PostgresError("\(command) failed: \(result.stderr)") }
        return result.output
    }

    func psql(_ database: String, _ sql: String) throws -> String {
        let file = directory.appending("q-\(UUID().uuidString.prefix(6)).sql")
        try sql.write(toFile: file, atomically: true, encoding: .utf8)
        if runAs != nil { try run("chmod 644 '\(file)'", asServerUser: false) }
        return try run("psql \(connection) -X -q -t -A -v ON_ERROR_STOP=1 -d \(database) -f '\(file)'")
    }

    deinit {
        _ = try? run("'\(binDirectory)/pg_ctl' -D '\(directory.appending("data"))' -m immediate -w stop >/dev/null")
    }
}

struct PostgresError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

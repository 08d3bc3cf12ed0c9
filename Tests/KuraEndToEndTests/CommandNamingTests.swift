import Foundation
import Testing

/// Every command names itself in its `CommandConfiguration`. Without `commandName:` swift-argument-parser
/// derives the name with `String(describing:)` each time it builds the command tree, a dynamic cast that scans
/// every protocol conformance in kura's statically linked binary, once per command type: with 70 commands that
/// was half of a warm start (20 ms of 10–24 ms for `kura dump` that failed at once, 2026-12-02).
@Suite struct CommandNamingTests {
    static let commandSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/kura")

    @Test func everyCommandConfigurationNamesItsCommand() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.commandSources.path).filter { $0.hasSuffix(".swift") }
        var configurations = 0
        for file in files {
            let text = try String(contentsOf: Self.commandSources.appendingPathComponent(file), encoding: .utf8)
            var rest = text[...]
            while let found = rest.range(of: "CommandConfiguration(") {
                configurations += 1
                let arguments = rest[found.upperBound...].drop { $0 == " " || $0 == "\n" }
                #expect(arguments.hasPrefix("commandName:"), "\(file): a CommandConfiguration without commandName: first")
                rest = rest[found.upperBound...]
            }
        }
        #expect(configurations >= 70)
    }

    /// The names given are the ones users' scripts call, and the ones the derived names were.
    @Test func theNamesAreTheCommandsUsersCall() throws {
        let help = try Kura.run(["--experimental-dump-help"])
        #expect(help.status == 0)
        for path in ["backup", "dump", "media", "record-set", "dispose", "request", "custodian", "drill", "snapshots", "audit", "verify"] {
            #expect(help.output.contains("\"commandName\" : \"\(path)\""), "no command named \(path)")
        }
        let drill = try Kura.run(["drill", "--help"])
        #expect(drill.output.contains("run"))
    }
}

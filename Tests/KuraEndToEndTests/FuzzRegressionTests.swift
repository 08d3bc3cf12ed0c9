import Foundation
import Testing

/// Every input the fuzzers (scripts/fuzz) found a crash, hang or leak with stays a test: `kura-fuzz-replay`
/// runs each file under Tests/Fuzz/regressions/TARGET through that target's parsers, and must finish, quickly.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")
    static let targets = ["pack", "index", "snapshot", "tree", "keyslot", "config", "label", "medium", "s3xml", "filescache"]

    static var replay: URL { Kura.executable.deletingLastPathComponent().appendingPathComponent("kura-fuzz-replay") }

    static func inputs(_ target: String) -> [String] {
        let folder = regressions.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test("every crasher found stays fixed: replayed without a crash, within 60 seconds and 1 GiB", arguments: targets)
    func replaysCrashers(target: String) throws {
        let folder = Self.regressions.appendingPathComponent(target)
        let count = Self.inputs(target).count
        try #require(count > 0 || !FileManager.default.fileExists(atPath: folder.path))
        guard count > 0 else { return }
        // 1 GiB of address space: an allocation a forged length asks for (2 or 4 GiB) fails and the replayer traps,
        // where without a limit the kernel would hand out pages it never touches. Sanitizers need far more.
        let sanitized = ["ASAN_OPTIONS", "TSAN_OPTIONS"].contains { ProcessInfo.processInfo.environment[$0] != nil }
        let limit = sanitized ? "" : "ulimit -v 1048576; "
        // The targets' scratch files go under a directory of the test's own, which they must leave as they found it
        // (the files cache once made its scratch's parent, the system's /tmp, 0700).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kura-fuzz-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let result = try Kura.shell("\(limit)KURA_FUZZ_SCRATCH='\(scratch)' exec /usr/bin/timeout 60 '\(Self.replay.path)' \(target) '\(folder.path)'")
        #expect(result.status == 0, "\(target): exit \(result.status) (124: timed out; 128+n: signal n)\n\(result.stderr)")
        #expect(result.output.contains("\(target): replayed \(count) input"), "\(result.output)")
        #expect(try FileManager.default.attributesOfItem(atPath: scratch)[.posixPermissions] as? Int == 0o755)
    }

    @Test("the replayer names an unknown target and exits 64")
    func unknownTarget() throws {
        let result = try Kura.runProgram(Self.replay, ["nonsense", "/dev/null"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown target nonsense"))
    }
}

import Foundation
import Testing

/// `kura backup --stdin < FILE`: standard input redirected from a regular file is read past the
/// page cache (DirectFileReader) where the file system allows it, and by read(2) elsewhere; both
/// must store exactly the file.
@Suite("backup --stdin from a file")
struct StdinFromFileTests {
    /// 9 MiB and an odd tail, compressible in places and not in others, so chunks cross read-ahead buffers.
    static func makeInput(at path: String) throws {
        let made = try Kura.shell("{ head -c 4000000 /dev/urandom; seq 1 500000; head -c 1234567 /dev/urandom; } > '\(path)'")
        #expect(made.status == 0, "\(made.stderr)")
        // Out of the page cache, as a dump of last night's is: read past it where the file system can.
        _ = try Kura.shell("sync '\(path)' && dd if='\(path)' iflag=nocache count=0 2>/dev/null")
    }

    static func backUpRedirected(_ fixture: RepositoryFixture, _ input: String, name: String) throws {
        let backup = try Kura.shell("exec '\(Kura.executable.path)' backup --stdin --stdin-name \(name) --quiet < '\(input)'",
                                    environment: fixture.environment)
        #expect(backup.status == 0, "\(backup.stderr)")
        let restored = try fixture.kura(["dump", "latest", name])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == (try Data(contentsOf: URL(fileURLWithPath: input))), "\(name) did not come back byte for byte")
    }

    @Test func aFileOnTheChecksFileSystemComesBackByteForByte() throws {
        let fixture = try RepositoryFixture(name: "kura-stdin-file")
        let input = fixture.path("dump.bin")
        try Self.makeInput(at: input)
        try Self.backUpRedirected(fixture, input, name: "dump.bin")
        let check = try fixture.kura(["check", "--read-data"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func aFileInSharedMemoryComesBackByteForByte() throws {
        let shared = "/dev/shm"
        guard FileManager.default.isWritableFile(atPath: shared) else { return }
        let fixture = try RepositoryFixture(name: "kura-stdin-shm")
        let input = "\(shared)/kura-stdin-\(UUID().uuidString.prefix(8)).bin"
        defer { try? FileManager.default.removeItem(atPath: input) }
        try Self.makeInput(at: input)
        try Self.backUpRedirected(fixture, input, name: "shm.bin")
    }
}

import ArgumentParser
import KuraRepository
import KuraStorage

extension Kura {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new encrypted repository.",
            discussion: "The password (KURA_PASSWORD, KURA_PASSWORD_FILE, --password-file, --password-command, or a prompt) protects the first full key. Without a password that opens a key, no backup in the repository can be read.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("zstd level for new chunks (1-19).", valueName: "level"))
        var compressionLevel: Int32 = 3

        @Option(help: ArgumentHelp("Close a pack once it holds this many bytes (1MiB to 48MiB; default 16MiB). Fixed at creation: config records it and every key slot records config's checksum.", valueName: "size"))
        var packSize: String?

        @Option(help: ArgumentHelp("The keyed function that names chunks: keyed-blake3-256 (the default; faster) or keyed-blake2b-256 (the one every kura reads, and the only one before kura named it). Fixed at creation: config records it.", valueName: "name"))
        var chunkID: ChunkIDFunction = .newRepositoryDefault

        func validate() throws {
            guard (1...19).contains(compressionLevel) else { throw ValidationError("--compression-level must be between 1 and 19") }
            if let packSize, !((1 << 20)...(48 << 20) ~= ByteSize.parse(packSize) ?? 0) {
                throw ValidationError("--pack-size wants a size from 1MiB to 48MiB, got '\(packSize)'")
            }
        }

        func run() throws {
            let backend = try repository.backend
            let password = try repository.passwordSource(confirm: true).read()
            guard !password.isEmpty else { throw CommandFailure("an empty password is not allowed") }
            let repo = try Repository.initialize(backend: backend, password: password, compressionLevel: compressionLevel,
                                                 packSize: packSize.flatMap(ByteSize.parse).map(Int.init) ?? 16 << 20, chunkID: chunkID)
            if output.json {
                try Terminal.printJSON(["id": repo.id.hex, "path": backend.location, "key": repo.keySlotID])
            } else if !output.quiet {
                print("created repository \(repo.id.short) at \(backend.location)")
                print("keep the password safe: without it no backup in this repository can be read")
            }
        }
    }
}

extension ChunkIDFunction: ExpressibleByArgument {}

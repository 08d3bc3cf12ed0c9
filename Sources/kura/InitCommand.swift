import ArgumentParser
import KuraRepository
import KuraStorage

extension Kura {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new encrypted repository.",
            discussion: "The password (KURA_PASSWORD, KURA_PASSWORD_FILE, --password-file, --password-command, or a prompt) protects the first full key. Without a password that opens a key, no backup in the repository can be read.")

        @OptionGroup var repository: RepositoryOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("zstd level for new chunks (1-19).", valueName: "level"))
        var compressionLevel: Int32 = 3

        @Option(help: ArgumentHelp("Close a pack once it holds this many bytes (1MiB to 48MiB; default 16MiB). Fixed at creation: config records it and every key slot records config's checksum.", valueName: "size"))
        var packSize: String?

        @Option(help: ArgumentHelp("The chunker's minimum, average and maximum chunk sizes, e.g. 256KiB,1MiB,4MiB (default 256KiB,512KiB,2MiB): 1KiB <= min <= average <= max <= 8MiB, the average a power of two. Smaller chunks store less each day after the first, at more index entries (123 bytes of memory each). Fixed at creation: config records it.", valueName: "min,average,max"))
        var chunkSizes: String?

        @Option(help: ArgumentHelp("The keyed function that names chunks: keyed-blake3-256 (the default; faster) or keyed-blake2b-256 (the one every kura reads, and the only one before kura named it). Fixed at creation: config records it.", valueName: "name"))
        var chunkID: ChunkIDFunction = .newRepositoryDefault

        func validate() throws {
            guard (1...19).contains(compressionLevel) else { throw ValidationError("--compression-level must be between 1 and 19") }
            if let packSize, !((1 << 20)...(48 << 20) ~= ByteSize.parse(packSize) ?? 0) {
                throw ValidationError("--pack-size wants a size from 1MiB to 48MiB, got '\(packSize)'")
            }
            if let chunkSizes { _ = try Self.chunker(chunkSizes) }
        }

        func run() throws {
            let backend = try repository.backend
            let password = try repository.passwordSource(confirm: true).read()
            guard !password.isEmpty else { throw CommandFailure("an empty password is not allowed") }
            let repo = try Repository.initialize(backend: backend, password: password, chunker: try chunkSizes.map(Self.chunker) ?? .default,
                                                 compressionLevel: compressionLevel,
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

extension Kura.Init {
    /// `--chunk-sizes MIN,AVERAGE,MAX` as the config's chunker.
    static func chunker(_ text: String) throws -> RepositoryConfig.Chunker {
        let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { ByteSize.parse(String($0)) }
        guard sizes.count == 3, let minimum = sizes[0], let average = sizes[1], let maximum = sizes[2] else {
            throw ValidationError("--chunk-sizes wants three sizes, min,average,max (e.g. 256KiB,512KiB,2MiB), got '\(text)'")
        }
        guard 1024 <= minimum, minimum <= average, average <= maximum, maximum <= 8 << 20, average.nonzeroBitCount == 1 else {
            throw ValidationError("--chunk-sizes must satisfy 1KiB <= min <= average <= max <= 8MiB with the average a power of two, got '\(text)'")
        }
        return RepositoryConfig.Chunker(minSize: Int(minimum), averageSize: Int(average), maxSize: Int(maximum))
    }
}

extension ChunkIDFunction: ExpressibleByArgument {}

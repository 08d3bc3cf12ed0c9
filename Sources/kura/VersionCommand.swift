import ArgumentParser
import KuraCatalog
import KuraCompression
import KuraCrypto
import KuraMedia
import KuraRepository

extension Kura {
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "version",
            abstract: "Print kura's version, the format versions it reads and writes, and the C libraries it runs with.",
            discussion: """
            Formats: the repository format (its config file's version), the medium format (the version of a backup \
            set's label) and the catalog's schema (the newest migration; an older catalog is migrated when a \
            command opens it). Libraries: the libsodium, libzstd, libarchive and SQLite this process has loaded, \
            which on a Debian host are the installed libsodium23, libzstd1, libarchive13 and libsqlite3-0.
            """)

        @Flag(help: "Print the versions as JSON on stdout.")
        var json = false

        func run() throws {
            let report = try VersionReport.current()
            if json {
                try Terminal.printJSON(report)
            } else {
                report.print()
            }
        }
    }
}

/// What `kura version` reports, read from the code's own constants and the loaded libraries.
struct VersionReport: Encodable {
    struct Format: Encodable {
        var reads: [Int]
        var writes: Int
        var name: String?
    }

    var version: String
    var formats: [String: Format]
    var libraries: [String: String]

    static func current() throws -> VersionReport {
        VersionReport(
            version: Kura.version,
            formats: [
                "repository": Format(reads: [RepositoryConfig.currentVersion], writes: RepositoryConfig.currentVersion),
                "medium": Format(reads: Array(MediumLabel.readableVersions), writes: MediumLabel.currentVersion),
                "catalog": Format(reads: Array(1...max(1, CatalogFormat.schemaVersion)), writes: CatalogFormat.schemaVersion,
                                  name: CatalogFormat.schemaIdentifier),
            ],
            libraries: [
                "libsodium": Sodium.version,
                "libzstd": ZstdCompressor.version,
                "libarchive": ArchiveLibrary.versionDetails,
                "sqlite": try CatalogFormat.sqliteVersion(),
            ])
    }

    func print() {
        func versions(_ list: [Int]) -> String {
            guard let first = list.first, let last = list.last else { return "none" }
            return first == last ? "\(first)" : "\(first) to \(last)"
        }
        Swift.print("kura \(version)")
        Swift.print("formats:")
        for key in ["repository", "medium", "catalog"] {
            guard let format = formats[key] else { continue }
            Swift.print("  " + key.padding(toLength: 11, withPad: " ", startingAt: 0)
                + "reads \(versions(format.reads)), writes \(format.writes)" + (format.name.map { " (\($0))" } ?? ""))
        }
        Swift.print("libraries:")
        for key in ["libsodium", "libzstd", "libarchive", "sqlite"] {
            Swift.print("  " + key.padding(toLength: 11, withPad: " ", startingAt: 0) + (libraries[key] ?? "unknown"))
        }
    }
}

extension Kura.Version: JSONOutputCommand {
    var printsJSON: Bool { json }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media.Dispose {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record the sanitization of an approved medium, as the person who performed it.",
            discussion: "Degaussing an LTO cartridge destroys its servo tracks: it must be recorded as --method destroy, never reuse.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("NIST SP 800-88 method: clear, purge or destroy.", valueName: "method"))
        var method: SanitizationMethod

        @Option(help: ArgumentHelp("Technique: overwrite, degauss, crypto-erase, block-erase, shred, incinerate, ...", valueName: "technique"))
        var technique: String

        @Option(help: ArgumentHelp("Tool and its version, e.g. \"LTO drive secure erase 1.2\".", valueName: "name version"))
        var tool: String

        @Option(help: ArgumentHelp("How the result was verified, e.g. full read-back, quick sampling, visual.", valueName: "text"))
        var verification: String

        @Option(help: ArgumentHelp("Where the medium goes: \(SanitizationDestination.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "destination"))
        var destination: SanitizationDestination

        @Option(help: ArgumentHelp("Method details (passes, pattern, shred size, ...).", valueName: "text"))
        var details: String?

        @Option(help: ArgumentHelp("Classification after sanitization.", valueName: "text"))
        var postClassification = "unclassified"

        @Option(help: ArgumentHelp("Notes for the certificate.", valueName: "text"))
        var notes: String?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let change = CatalogChange(SanitizationRecorded(
                serial: serial, method: method, technique: technique, tool: tool, verification: verification,
                destination: destination, details: details, postClassification: postClassification, notes: notes))
            let event = try catalog.append(change, as: signer.name, passphrase: self.catalog.passphrase(for: signer.name))
            try AuditEventOutput.print(event, medium: try catalog.medium(serial), output: output)
        }
    }
}

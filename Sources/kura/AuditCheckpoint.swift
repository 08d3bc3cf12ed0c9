import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Audit {
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print the log's head (event count, hash, time) to keep elsewhere; `audit verify --checkpoint` uses it.",
            discussion: """
            With --as the checkpoint is signed by that custodian. Without it, keep the checkpoint where the \
            catalog's writers cannot change it, or sign it with a catalog-independent tool, e.g. \
            `kura audit checkpoint | ssh-keygen -Y sign -f KEY -n kura-checkpoint` or `gpg --clearsign`.
            """)

        @Option(name: .customLong("as"), help: ArgumentHelp("Sign the checkpoint as this custodian.", valueName: "name"))
        var signer: String?

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Also write it to this file.", valueName: "file"))
        var output: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var format: OutputOptions

        func run() throws {
            let checkpoint = try catalog.openExisting().checkpoint(signedAs: signer,
                                                                   passphrase: catalog.passphrase(for: signer ?? ""))
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(checkpoint.text.utf8)) else {
                    throw CommandFailure("cannot write checkpoint file \(output)")
                }
            }
            if format.json { return try Terminal.printJSON(checkpoint) }
            if !format.quiet { print(checkpoint.text, terminator: "") }
        }
    }
}

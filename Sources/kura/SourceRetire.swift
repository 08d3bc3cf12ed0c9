import ArgumentParser
import KuraCatalog

extension Kura.Source {
    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire",
            abstract: "Retire a source that is no longer backed up, so kura report stops naming it stale.",
            discussion: """
            A signed event in the catalog (source.retired). The source keeps its history and stays in the report, \
            marked retired; no backup or drill age limit applies to it. A backup of the source recorded later makes \
            it active again. Refused (exit 20, rule retire-active-source) when it is already retired and not backed \
            up since; exit 1 when the catalog has no backup of a source of that name.
            """)

        @Argument(help: ArgumentHelp("The source's name as the report shows it: a path or a stream name (crm.sql).", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Retire it on this host only (default: on every host).", valueName: "host"))
        var host: String?

        @Option(help: ArgumentHelp("Why it is no longer backed up.", valueName: "text"))
        var reason: String?

        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let catalog = try catalog.open()
            let retirement = try catalog.retireSource(name, host: host, reason: reason, as: signer.name,
                                                      passphrase: self.catalog.passphrase(for: signer.name))
            if output.json {
                try Terminal.printJSON(retirement)
            } else if !output.quiet {
                print("source \(name)" + (host.map { " on host \($0)" } ?? "") + " retired by \(retirement.retiredBy) "
                    + "at \(retirement.retiredAt) (event \(retirement.id))")
            }
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraMedia

extension Kura.Media {
    struct Lost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lost",
            abstract: "Report a medium lost and print its exposure report: what it holds and how that is protected.")

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("What is known: where and when it was last seen.", valueName: "text"))
        var note: String?

        @OptionGroup var language: LanguageOption
        @OptionGroup var signer: SignerOption
        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        struct Result: Encodable {
            var event: EventJSON
            var exposure: ExposureReport
        }

        func run() throws {
            let catalog = try catalog.open()
            let serial = try catalog.medium(serial).serial
            let event = try catalog.append(CatalogChange(MediumLost(serial: serial, note: note)), as: signer.name,
                                           passphrase: self.catalog.passphrase(for: signer.name))
            let exposure = try catalog.exposureReport(for: serial, mediumReveals: Self.mediumReveals)
            if output.json { return try Terminal.printJSON(Result(event: EventJSON(event), exposure: exposure)) }
            if output.quiet { return }
            print("event \(event.sequence) signed by \(event.actor): \(event.summary)")
            print(ExposureText(report: exposure, language: language.language).text)
        }

        /// What a medium shows without the passphrase: the label's clear members, from the label
        /// format's own field list, and what the archive itself shows.
        static var mediumReveals: [ExposureReport.Revealed] {
            MediumLabel.fieldsInTheClear.map { ExposureReport.Revealed(source: "label", field: $0.field, meaning: $0.meaning) }
                + MediumLabel.archiveInTheClear.map { ExposureReport.Revealed(source: "archive", field: $0.field, meaning: $0.meaning) }
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct Certificate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "certificate",
            abstract: "Print the certificate of sanitization of a disposed or sanitized medium (NIST SP 800-88 fields).",
            discussion: "With --lang ja (or a Japanese LANG) the text and HTML forms are the Japanese certificate (媒体廃棄証明書), "
                + "times in JST, with a box for the company seal (印) on the HTML. scripts/render-certificate renders the HTML "
                + "form to A4 PDF and PNG with headless Chromium; scripts/render-certificates renders both languages.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, html
        }

        @Argument(help: ArgumentHelp("Serial or barcode.", valueName: "serial"))
        var serial: String

        @Option(help: ArgumentHelp("text, json or html.", valueName: "format"))
        var format: Format = .text

        @Flag(help: "Same as --format json.")
        var json = false

        @Option(help: ArgumentHelp("Which disposal, if the medium was sanitized more than once (default: the newest).",
                                   valueName: "id"))
        var disposal: Int64?

        @OptionGroup var language: LanguageOption
        @OptionGroup var catalog: CatalogOptions

        func run() throws {
            let certificate = try catalog.openExisting().certificate(for: serial, disposal: disposal)
            switch json ? .json : format {
            case .json: try Terminal.printJSON(certificate)
            case .text: print(certificate.text(language.language), terminator: "")
            case .html: print(certificate.html(language.language), terminator: "")
            }
        }
    }
}

extension Kura.Media.Certificate: JSONOutputCommand {
    var printsJSON: Bool { json || format == .json }
}

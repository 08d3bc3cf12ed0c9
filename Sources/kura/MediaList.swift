import ArgumentParser
import KuraCatalog

extension Kura.Media {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List media, optionally by state and location.")

        @Option(help: ArgumentHelp("Only media in this state (\(MediumState.allCases.map(\.rawValue).joined(separator: ", "))).",
                                   valueName: "state"))
        var state: MediumState?

        @Option(help: ArgumentHelp("Only media here: onsite, offsite, in-transit, or a full location like offsite:VAULT.",
                                   valueName: "location"))
        var location: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let media = try catalog.openExisting().media(state: state, location: location)
            if output.json { return try Terminal.printJSON(media) }
            if output.quiet { return }
            for medium in media {
                print([medium.serial, medium.barcode ?? "-", medium.mediaType, medium.state.rawValue, medium.location
                       + (medium.destination.map { " -> \($0)" } ?? "")].joined(separator: "\t"))
            }
        }
    }
}

import ArgumentParser
import KuraCatalog
import KuraText

extension Kura.Media {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List media, optionally by state and location.")

        @Option(help: ArgumentHelp("Only media in this state (\(MediumState.allCases.map(\.rawValue).joined(separator: ", "))).",
                                   valueName: "state"))
        var state: MediumState?

        @Option(help: ArgumentHelp("Only media here: onsite, offsite, in-transit, or a full location like offsite:VAULT.",
                                   valueName: "location"))
        var location: String?

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var table: TableOptions

        func run() throws {
            let media = try catalog.openExisting().media(state: state, location: location)
            if output.json { return try Terminal.printJSON(media.map(MediumJSON.init)) }
            if output.quiet { return }
            var rows = TextTable(headers: ["Serial", "Barcode", "Type", "State", "Location"])
            for medium in media {
                rows.append([medium.serial, medium.barcode ?? "-", medium.mediaType, medium.state.rawValue, medium.location
                             + (medium.destination.map { " -> \($0)" } ?? "")])
            }
            table.print(rows)
        }
    }
}

import ArgumentParser
import KuraCatalog

extension Kura.Hold {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List holds on snapshots (active ones unless --all).")

        @Flag(help: "Also list released holds.")
        var all = false

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let holds = try catalog.openExisting().snapshotHolds(activeOnly: !all)
            if output.json { return try Terminal.printJSON(holds) }
            if output.quiet { return }
            for hold in holds {
                print("\(hold.id)\tsnapshot \(hold.snapshotID.prefix(8))\trepository \(hold.repositoryID.prefix(8))\t"
                    + "by \(hold.placedBy) at \(hold.placedAt)\t\(hold.reason)"
                    + (hold.releasedBy.map { "\treleased by \($0) at \(hold.releasedAt ?? "?")" } ?? ""))
            }
            if holds.isEmpty { print(all ? "no holds" : "no active holds") }
        }
    }
}

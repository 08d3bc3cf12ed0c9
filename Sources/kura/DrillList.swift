import ArgumentParser
import Foundation
import KuraCatalog

extension Kura.Drill {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the recorded restore drills, oldest first.")

        @OptionGroup var catalog: CatalogOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let drills = try catalog.openExisting().drills()
            if output.json { return try Terminal.printJSON(drills) }
            if output.quiet { return }
            print("ID     Time                  Snapshot  Result  Bytes       Seconds  From        By              Sources")
            for d in drills {
                print([String(d.id).padding(toLength: 6, withPad: " ", startingAt: 0), d.performedAt.padding(toLength: 21, withPad: " ", startingAt: 0),
                       String(d.snapshotID.prefix(8)) + " ", d.result.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
                       Terminal.formatBytes(Int(d.bytes)).padding(toLength: 11, withPad: " ", startingAt: 0),
                       String(format: "%8.2f", Double(d.restoreMilliseconds) / 1000),
                       (d.medium.map { "medium " + $0 } ?? "repository").padding(toLength: 11, withPad: " ", startingAt: 0),
                       d.performedBy.padding(toLength: 15, withPad: " ", startingAt: 0),
                       d.sources.values.joined(separator: " ")].joined(separator: " ")
                      + (d.detail.map { "\n       \($0)" } ?? ""))
            }
            print("\(drills.count) drill\(drills.count == 1 ? "" : "s")")
        }
    }
}

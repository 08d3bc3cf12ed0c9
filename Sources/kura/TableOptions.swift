import ArgumentParser
import Foundation
import KuraText
#if canImport(Glibc)
import Glibc
#endif

/// How a list prints in text: aligned columns (cut with `…` to fit a terminal), or tab-separated for scripts.
struct TableOptions: ParsableArguments {
    @Flag(help: "Print tab-separated values under a header line, never cut (for scripts).")
    var tsv = false

    @Option(help: ArgumentHelp("Fit the table into this many columns, cutting long values with an ellipsis "
                               + "(default: $COLUMNS or 80 when stdout is a terminal; never cut otherwise).", valueName: "n"))
    var width: Int?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width \(width) is too narrow for a table: give at least 20") }
        if tsv && width != nil { throw ValidationError("--tsv output is never cut: give --tsv or --width, not both") }
    }

    /// The width to fit, or nil for no cutting: --width, or the terminal's when stdout is one.
    var effectiveWidth: Int? {
        if let width { return width }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 20 { return columns }
        return 80
    }

    func print(_ table: TextTable) {
        for line in tsv ? table.tabSeparated() : table.aligned(width: effectiveWidth) {
            Swift.print(line)
        }
    }
}

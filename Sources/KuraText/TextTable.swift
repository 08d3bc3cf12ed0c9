/// Rows under headers, printed as aligned columns measured in display columns (so Japanese names line
/// up), or as tab-separated values for scripts.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var header: String
        public var alignment: Alignment
        /// How narrow the column may get when the table must fit a width (headers are cut too); when nil, four
        /// columns or the header's width if that is less.
        public var minimumWidth: Int?

        public init(_ header: String, alignment: Alignment = .left, minimumWidth: Int? = nil) {
            self.header = header
            self.alignment = alignment
            self.minimumWidth = minimumWidth
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public init(headers: [String]) {
        self.init(headers.map { Column($0) })
    }

    /// Adds a row; missing cells are empty, tabs, newlines and other control characters become spaces.
    public mutating func append(_ cells: [String]) {
        var row = cells.prefix(columns.count).map(Self.clean)
        while row.count < columns.count { row.append("") }
        rows.append(row)
    }

    static func clean(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return cell }
        return String(String.UnicodeScalarView(cell.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// One line per row after a header line, tab-separated, nothing cut.
    public func tabSeparated() -> [String] {
        ([columns.map(\.header)] + rows).map { $0.joined(separator: "\t") }
    }

    /// The header and the rows as aligned columns two spaces apart, no trailing spaces. With `width`, the
    /// widest columns are narrowed (cells cut with `…`) until a line fits, as far as the columns' minimum
    /// widths allow; without it nothing is cut.
    public func aligned(width: Int? = nil) -> [String] {
        let all = [columns.map(\.header)] + rows
        var widths = columns.indices.map { index in all.map { DisplayWidth.of($0[index]) }.max() ?? 0 }
        if let width {
            let separators = 2 * max(0, columns.count - 1)
            let minimums = columns.map { column in column.minimumWidth ?? min(4, max(1, DisplayWidth.of(column.header))) }
            while widths.reduce(0, +) + separators > width {
                let candidates = widths.indices.filter { widths[$0] > minimums[$0] }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
            }
        }
        return all.map { row in
            var line = ""
            for index in columns.indices {
                let cell = DisplayWidth.truncate(row[index], to: widths[index])
                let last = index == columns.count - 1
                if index > 0 { line += "  " }
                switch columns[index].alignment {
                case .right: line += DisplayWidth.leftPadded(cell, to: widths[index])
                case .left: line += last ? cell : DisplayWidth.padded(cell, to: widths[index])
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}

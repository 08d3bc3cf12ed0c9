import GRDB

/// A row of a current-state table: something the events determine completely.
public protocol ProjectedRecord: Codable, FetchableRecord, PersistableRecord, Equatable, Sendable {
    associatedtype Key: Hashable, Comparable, Sendable
    var key: Key { get }
    /// How verification messages name the row, e.g. `medium CRM001` or `hold 12`.
    var rowName: String { get }
}

extension ProjectedRecord {
    /// Writes the rows of `new` that differ from `old`. Projections only grow or change; no row is deleted.
    static func save(_ new: [Key: Self], comparedTo old: [Key: Self], in db: Database) throws {
        for (key, row) in new where old[key] != row {
            try row.save(db)
        }
    }

    /// Differences between the stored table and what the events say, one line each, ordered by key.
    static func differences(stored: [Key: Self], expected: [Key: Self]) -> [String] {
        var problems: [String] = []
        for key in Set(stored.keys).union(expected.keys).sorted() {
            switch (stored[key], expected[key]) {
            case let (stored?, expected?) where stored != expected:
                problems.append(columnDifference(stored: stored, expected: expected))
            case let (stored?, nil):
                problems.append("\(stored.rowName): row in table \(databaseTableName) that no event made")
            case let (nil, expected?):
                problems.append("\(expected.rowName): missing from table \(databaseTableName)")
            default:
                break
            }
        }
        return problems
    }

    private static func columnDifference(stored: Self, expected: Self) -> String {
        guard let storedColumns = try? stored.databaseDictionary, let expectedColumns = try? expected.databaseDictionary else {
            return "\(stored.rowName): row differs from what the events say"
        }
        for column in Set(storedColumns.keys).union(expectedColumns.keys).sorted()
        where storedColumns[column] != expectedColumns[column] {
            return "\(stored.rowName): \(column) is \(describe(storedColumns[column])) in table \(databaseTableName), "
                + "the events say \(describe(expectedColumns[column]))"
        }
        return "\(stored.rowName): row differs from what the events say"
    }

    private static func describe(_ value: DatabaseValue?) -> String {
        guard let value, !value.isNull else { return "NULL" }
        if let text = String.fromDatabaseValue(value) { return "'\(text)'" }
        return value.description
    }

    /// Every stored row by key, and one problem line for each row that cannot even be read.
    /// With `after`, only the rows whose id is greater (tables keyed by event sequence).
    static func fetchKeyed(_ db: Database, after: Int64? = nil) throws -> (rows: [Key: Self], unreadable: [String]) {
        var rows: [Key: Self] = [:], unreadable: [String] = []
        let cursor = try after.map { try Row.fetchCursor(db, sql: "SELECT * FROM \(databaseTableName) WHERE id > ?", arguments: [$0]) }
            ?? Row.fetchCursor(db, sql: "SELECT * FROM \(databaseTableName)")
        while let row = try cursor.next() {
            do {
                let record = try Self(row: row)
                rows[record.key] = record
            } catch {
                unreadable.append("table \(databaseTableName): unreadable row \(row.description)")
            }
        }
        return (rows, unreadable)
    }
}

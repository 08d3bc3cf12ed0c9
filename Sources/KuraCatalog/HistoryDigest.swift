import GRDB
import KuraCrypto

/// The tables that only grow, one row per event that no later event changes and no rule reads: a checkpoint keeps
/// a digest of their rows up to its event instead of the rows, so that starting `verify` from it does not decode
/// them (a log of 100,000 inventories is mostly such rows), and only their newer rows are compared one by one.
enum HistoryDigest {
    static let tables = [InventoryRecord.databaseTableName, MediumVerificationRecord.databaseTableName,
                         DrillRecord.databaseTableName, RepositoryCopyRecord.databaseTableName]

    /// BLAKE2b-256 over the rows of `table` with `id <= events`, in id order: each row's columns as typed values.
    static func digest(of table: String, upTo events: Int64, in db: Database) throws -> String {
        var hashes: [UInt8] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) WHERE id <= ? ORDER BY id", arguments: [events])
        while let row = try rows.next() {
            var bytes: [UInt8] = []
            for (column, value) in row {
                bytes += Array(column.utf8) + [0]
                switch value.storage {
                case .null: bytes += [0x6E]
                case let .int64(number): bytes += [0x69] + Array(String(number).utf8)
                case let .double(number): bytes += [0x64] + Array(String(number).utf8)
                case let .string(text): bytes += [0x73] + Array(String(text.utf8.count).utf8) + [0x3A] + Array(text.utf8)
                case let .blob(data): bytes += [0x62] + Array(String(data.count).utf8) + [0x3A] + Array(data)
                }
                bytes.append(0)
            }
            hashes += Hex.decode(CanonicalEvent.hash(bytes)) ?? []
        }
        return CanonicalEvent.hash(hashes)
    }

    static func digests(upTo events: Int64, in db: Database) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try tables.map { ($0, try digest(of: $0, upTo: events, in: db)) })
    }
}

import GRDB

/// The catalog's schema version and the SQLite it is stored with.
public enum CatalogFormat {
    /// The newest schema migration this kura applies (`0004_custodian_certificates`): a catalog is migrated to it
    /// when opened, and every older schema is read. The leading number is the schema version.
    public static var schemaIdentifier: String { EmbeddedMigrations.all.last?.identifier ?? "none" }

    /// The schema version as a number (4 for `0004_custodian_certificates`).
    public static var schemaVersion: Int { Int(schemaIdentifier.prefix { $0.isNumber }) ?? 0 }

    /// The SQLite library GRDB runs on (`sqlite_version()`, the same string as `sqlite3_libversion()`).
    public static func sqliteVersion() throws -> String {
        let memory = try DatabaseQueue()
        return try memory.read { try String.fetchOne($0, sql: "SELECT sqlite_version()") } ?? "unknown"
    }
}

import Foundation
import GRDB
import Testing
@testable import KuraCatalog

/// A new catalog is owner-only under umask 022: its directories 0700, the file 0600, and the files SQLite
/// makes beside it (the rollback journal kura uses, and the WAL and shared-memory files of WAL mode) 0600.
@Suite struct CatalogFileModeTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aNewCatalogAndSQLitesCompanionFilesAreOwnerOnly() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kura-catalog-modes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a/b/catalog.db"
        let catalog = try Catalog(path: path)
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(directory + "/a") == 0o700 && Self.mode(directory + "/a/b") == 0o700)

        try catalog.database.write { db in
            try db.execute(sql: "CREATE TABLE scratch (x)")
            #expect(try Self.mode(path + "-journal") == 0o600)
        }
        let wal = try DatabaseQueue(path: path)
        try wal.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try wal.write { try $0.execute(sql: "INSERT INTO scratch VALUES (1)") }
        #expect(try Self.mode(path + "-wal") == 0o600 && Self.mode(path + "-shm") == 0o600)
    }

    @Test func anExistingCatalogKeepsItsMode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kura-catalog-modes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/catalog.db"
        _ = try Catalog(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o660], ofItemAtPath: path)
        let catalog = try Catalog(path: path)
        try catalog.database.write { try $0.execute(sql: "CREATE TABLE scratch (x)") }
        #expect(try Self.mode(path) == 0o660)
    }

    @Test func aCatalogThatCannotBeCreatedNamesThePath() throws {
        let error = #expect(throws: CatalogError.self) { try Catalog(path: "/proc/kura-no-such-dir/catalog.db") }
        #expect(error?.message.contains("/proc/kura-no-such-dir") == true)
    }
}

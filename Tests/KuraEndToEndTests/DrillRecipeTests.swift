import Foundation
import Testing

/// Issue 15 item 10: the README's drill recipe (scripts/drill-postgres) against a real PostgreSQL. A dump
/// whose load hits an SQL error is a failed drill (recorded, exit 1); the clean dump passes; the scratch
/// database is gone afterwards either way.
@Suite(.serialized) struct DrillRecipeTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/drill-postgres")

    static let schema = """
    CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
    INSERT INTO customers (name) SELECT '顧客 ' || i FROM generate_series(1, 500) AS i;
    """

    /// Runs the recipe as an operator would, with libpq's environment pointing at the test server.
    static func recipe(_ s: RetentionSetup, _ pg: PostgresServer, _ arguments: [String],
                       environment extra: [String: String] = [:]) throws -> KuraResult {
        var environment = s.fixture.environment.merging(extra) { $1 }
        environment["KURA_CATALOG"] = s.catalog.catalogPath
        environment["KURA_BINARY"] = Kura.executable.path
        environment["PGHOST"] = pg.socketDirectory
        environment["PGPORT"] = String(pg.port)
        environment["PGUSER"] = "postgres"
        return try Kura.runProgram(script, arguments, environment: environment)
    }

    static func drillDatabases(_ pg: PostgresServer) throws -> String {
        try pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'kura_drill%';")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func anSQLErrorInTheDumpFailsTheDrillAndTheCleanDumpPasses() throws {
        let pg = try PostgresServer()
        try pg.run("createdb \(pg.connection) crm")
        _ = try pg.psql("crm", Self.schema)
        let s = try RetentionSetup()

        // The dump of a server whose tables belong to a role the drill server lacks: the load stops at
        // ALTER TABLE ... OWNER TO crm_owner. Without ON_ERROR_STOP psql would print the error and go on.
        let withOwners = try pg.run("pg_dump \(pg.connection) crm")
        #expect(withOwners.contains("OWNER TO postgres"))
        let broken = withOwners.replacingOccurrences(of: "OWNER TO postgres", with: "OWNER TO crm_owner")
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data(broken.utf8))
        let brokenID = try #require(try s.fixture.snapshotIDs().last)
        let clean = try pg.run("pg_dump --no-owner \(pg.connection) crm")
        #expect(!clean.contains("OWNER TO"))
        try s.ok(["backup", "--stdin", "--stdin-name", "crm.sql", "--quiet"], stdin: Data(clean.utf8))
        let cleanID = try #require(try s.fixture.snapshotIDs().last)

        let verify = "test \"$(psql -X -tA -d \"$KURA_DRILL_DATABASE\" -c 'SELECT count(*) FROM customers')\" = 500"
        let failed = try Self.recipe(s, pg, [String(brokenID.prefix(8)), "--verify-command", verify])
        #expect(failed.status == 1, "stderr: \(failed.stderr)")
        #expect(failed.stderr.contains("role \"crm_owner\" does not exist"))
        #expect(failed.stderr.contains("failed: restore failed") && failed.stderr.contains("exited with status 3"))
        #expect(try Self.drillDatabases(pg) == "0")

        let passed = try Self.recipe(s, pg, [String(cleanID.prefix(8)), "--verify-command", verify])
        #expect(passed.status == 0, "stderr: \(passed.stderr)")
        #expect(passed.output.contains("passed"))
        #expect(try Self.drillDatabases(pg) == "0")

        let list = try DrillTests.drills(s)
        #expect(list.map { $0["result"] as? String } == ["failed", "passed"])
        #expect(list.map { $0["snapshot_id"] as? String } == [brokenID, cleanID])
        #expect((list.first?["detail"] as? String)?.contains("exited with status 3") == true)
        #expect((list.first?["restore_command"] as? String)?.contains("ON_ERROR_STOP=1") == true)

        // A scratch database that already exists is never loaded into: createdb refuses, no drill is recorded.
        try pg.run("createdb \(pg.connection) kura_drill_taken")
        let refused = try Self.recipe(s, pg, [String(cleanID.prefix(8))], environment: ["KURA_DRILL_DATABASE": "kura_drill_taken"])
        #expect(refused.status != 0 && refused.stderr.contains("already exists"))
        #expect(try DrillTests.drills(s).count == 2)
        #expect(try pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'kura_drill_taken';")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}

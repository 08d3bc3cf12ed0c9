import Foundation
import Testing

/// Acceptance 3 of issue 2: a real PostgreSQL dump backed up with --from-command comes back
/// byte-identical and loads with the same row counts; a failing command makes no snapshot.
@Suite(.serialized) struct DatabaseStreamTests {
    static let schema = """
    CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, kana text, email text, phone text, birthdate date, card_token text);
    CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), amount numeric(12,2), note text);
    INSERT INTO customers (name, kana, email, phone, birthdate, card_token)
      SELECT '山田 太郎 ' || g, 'ヤマダ タロウ', 'customer' || g || '@example.jp', '03-1234-' || lpad(g::text, 4, '0'),
             DATE '1950-01-01' + (g % 20000), md5(g::text)
      FROM generate_series(1, 20000) g;
    INSERT INTO orders (customer_id, amount, note) SELECT 1 + (g % 20000), (g % 997) * 1.25, 'call note ' || md5(g::text) FROM generate_series(1, 50000) g;
    """

    @Test func pgDumpRoundTripsThroughDumpAndLoadsWithSameRowCounts() throws {
        let pg = try PostgresServer()
        try pg.run("createdb \(pg.connection) crm")
        _ = try pg.psql("crm", Self.schema)
        let fixture = try RepositoryFixture()
        // pg_dump writes a random \\restrict key into each dump, so the stream kura stored is kept with tee to compare.
        let direct = pg.directory.appending("direct.sql")
        let globals = pg.asUser("pg_dumpall \(pg.connection) --globals-only")
        let dump = pg.asUser("pg_dump \(pg.connection) crm") + " | tee '\(direct)'"
        let backup = try fixture.kura(["backup", "--from-command", "globals.sql=\(globals)", "--from-command", "crm.sql=\(dump)", "--json"])
        #expect(backup.status == 0, "backup failed: \(backup.stderr)")
        let summary = try RepositoryFixture.json(backup)
        #expect((summary["files"] as? Int) == 2)

        let restored = try fixture.kura(["dump", "latest", "crm.sql"])
        #expect(restored.status == 0, "dump failed: \(restored.stderr)")
        let original = try Data(contentsOf: URL(fileURLWithPath: direct))
        #expect(original.count > 1_000_000)
        #expect(restored.stdout == original)
        #expect(try fixture.kura(["dump", "latest", "globals.sql"]).output.contains("ROLE postgres"))

        let loadFile = pg.directory.appending("restored.sql")
        try restored.stdout.write(to: URL(fileURLWithPath: loadFile))
        try pg.run("chmod 644 '\(loadFile)'", asServerUser: false)
        try pg.run("createdb \(pg.connection) crm_restored")
        try pg.run("psql \(pg.connection) -X -q -v ON_ERROR_STOP=1 -d crm_restored -f '\(loadFile)' >/dev/null")
        let count = "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders);"
        #expect(try pg.psql("crm_restored", count) == pg.psql("crm", count))
        #expect(try pg.psql("crm_restored", count).trimmingCharacters(in: .whitespacesAndNewlines) == "20000 50000")

        // Standard input works the same way.
        let piped = try fixture.kura(["backup", "--stdin", "--stdin-name", "piped.sql", "--quiet"], stdin: original)
        #expect(piped.status == 0 && piped.output.isEmpty && piped.stderr.isEmpty)
        #expect(try fixture.kura(["dump", "latest", "piped.sql"]).stdout == original)
    }

    @Test func failingCommandMakesNoSnapshotAndExitsOne() throws {
        let fixture = try RepositoryFixture()
        #expect(try fixture.kura(["backup", "--from-command", "ok.sql=echo fine"]).status == 0)
        let before = try fixture.snapshotIDs()
        let failed = try fixture.kura(["backup", "--from-command", "x=false"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("x") && failed.stderr.contains("status 1"))
        let noisy = try fixture.kura(["backup", "--from-command", "good.sql=echo data", "--from-command", "bad.sql=echo 'pg_dump: error: connection refused' >&2; exit 2"])
        #expect(noisy.status == 1)
        #expect(noisy.stderr.contains("pg_dump: error: connection refused"))
        #expect(try fixture.snapshotIDs() == before)
        #expect(try fixture.kura(["check"]).status == 0)
    }
}

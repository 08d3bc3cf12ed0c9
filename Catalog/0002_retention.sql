-- Retention (issue 5): holds on snapshots, the backups the catalog learns of, and restore drills.
-- Conventions as in 0001: hex TEXT, ISO 8601 UTC TEXT times, JSON array TEXT lists. Every table here is a
-- projection of events, rebuilt and compared by `kura audit verify` like those of 0001.

-- Holds on snapshots: `kura forget` never forgets a snapshot with an active hold.
-- The id is the sequence of the event that placed the hold.
CREATE TABLE snapshot_holds (
    id            INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    repository_id TEXT    NOT NULL,               -- 64 hex digits
    snapshot_id   TEXT    NOT NULL,               -- 64 hex digits
    reason        TEXT    NOT NULL,
    placed_by     TEXT    NOT NULL,
    placed_at     TEXT    NOT NULL,
    released_by   TEXT,
    released_at   TEXT,
    release_event INTEGER REFERENCES events (sequence)
);
CREATE INDEX snapshot_holds_by_snapshot ON snapshot_holds (repository_id, snapshot_id, id);

-- Backups that `kura backup` reported (with --catalog or KURA_CATALOG); the id is the event's sequence.
CREATE TABLE backups (
    id            INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    repository_id TEXT    NOT NULL,
    snapshot_id   TEXT    NOT NULL,
    host          TEXT    NOT NULL,               -- the snapshot's host name
    sources       TEXT    NOT NULL,               -- JSON array: paths backed up, or stream names
    bytes         INTEGER NOT NULL,               -- bytes read
    snapshot_time TEXT    NOT NULL,               -- the snapshot's time, to the second
    duration_ms   INTEGER NOT NULL,
    result        TEXT    NOT NULL CHECK (result IN ('success', 'partial')),  -- partial: some sources unreadable
    recorded_by   TEXT    NOT NULL                -- host:NAME (unsigned) or a custodian
);
CREATE INDEX backups_by_repository ON backups (repository_id, id);

-- Restore drills, passed or failed; the id is the event's sequence.
CREATE TABLE drills (
    id              INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    repository_id   TEXT    NOT NULL,
    snapshot_id     TEXT    NOT NULL,
    host            TEXT    NOT NULL,             -- the snapshot's host name
    sources         TEXT    NOT NULL,             -- JSON array: the snapshot's paths or stream names
    medium          TEXT,                         -- what it was restored from: a medium; NULL for the repository
    method          TEXT    NOT NULL CHECK (method IN ('directory', 'command')),
    restore_command TEXT,                         -- the command the stream was piped into (method command)
    verify_command  TEXT,
    bytes           INTEGER NOT NULL,             -- bytes restored and checked against the snapshot
    restore_ms      INTEGER NOT NULL,             -- time to restore and check every byte (not the verify command)
    result          TEXT    NOT NULL CHECK (result IN ('passed', 'failed')),
    detail          TEXT,                         -- why it failed, or what the verify command printed last
    performed_by    TEXT    NOT NULL,             -- the custodian who signed, or host:NAME (unsigned)
    performed_at    TEXT    NOT NULL
);
CREATE INDEX drills_by_repository ON drills (repository_id, id);

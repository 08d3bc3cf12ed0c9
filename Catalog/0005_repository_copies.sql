-- Copies of snapshots between repositories (issue 14): `kura copy` reports each one it makes, so that
-- `kura report` shows which sources have an offsite copy and how old it is. The id is the event's sequence.
CREATE TABLE repository_copies (
    id                         INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    source_repository_id       TEXT    NOT NULL,
    source_snapshot_id         TEXT    NOT NULL,
    destination_repository_id  TEXT    NOT NULL,
    destination_snapshot_id    TEXT    NOT NULL,
    host                       TEXT    NOT NULL,  -- the snapshot's host name
    sources                    TEXT    NOT NULL,  -- JSON array: paths backed up, or stream names
    snapshot_time              TEXT    NOT NULL,  -- the snapshot's time (of the original backup)
    bytes_sent                 INTEGER NOT NULL,  -- bytes this copy added to the destination's packs
    duration_ms                INTEGER NOT NULL,
    recorded_by                TEXT    NOT NULL   -- host:NAME (unsigned) or a custodian
);
CREATE INDEX repository_copies_by_source ON repository_copies (source_repository_id, id);

-- kura media verify: each read-back of a medium and its result, projected from
-- `media.verified` events.
CREATE TABLE media_verifications (
    id          INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial      TEXT    NOT NULL REFERENCES media (serial),
    passed      INTEGER NOT NULL,                 -- 1 pass, 0 fail
    problems    TEXT    NOT NULL,                 -- JSON array of one-line problems (empty on a pass)
    snapshots   TEXT    NOT NULL,                 -- JSON array of snapshot ids found on the medium
    bytes_read  INTEGER NOT NULL,
    verified_by TEXT    NOT NULL,
    verified_at TEXT    NOT NULL
);
CREATE INDEX media_verifications_serial ON media_verifications (serial);

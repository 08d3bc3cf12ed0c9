-- The catalog's first schema. Portable SQL: TEXT, INTEGER, byte strings as lower-case hex TEXT,
-- times as ISO 8601 UTC TEXT ("2025-04-01T09:30:00Z"), lists as JSON array TEXT.
-- A shipped migration is never edited; later changes go in 0002_..., 0003_... .

-- The audit log. Every catalog change is one row; nothing ever deletes or updates one.
-- See man/kura-catalog.5 for the canonical bytes that `hash` and `signature` cover.
CREATE TABLE events (
    sequence      INTEGER NOT NULL PRIMARY KEY,   -- 1, 2, 3, ... without gaps
    occurred_at   TEXT    NOT NULL,
    kind          TEXT    NOT NULL,               -- e.g. media.moved
    actor         TEXT    NOT NULL,               -- the custodian who signed it
    subject       TEXT    NOT NULL,               -- a serial, a custodian name or a location
    payload       TEXT    NOT NULL,               -- JSON object, hashed byte for byte as stored
    previous_hash TEXT    NOT NULL,               -- hash of event sequence-1; 64 zeros for event 1
    hash          TEXT    NOT NULL UNIQUE,        -- BLAKE2b-256 of the canonical bytes
    signature     TEXT    NOT NULL                -- Ed25519 signature of the canonical bytes by actor
);
CREATE INDEX events_by_subject ON events (subject, sequence);

-- Everything below is a projection of the events: `kura audit verify` rebuilds it from the log
-- and compares it with what is stored here.

CREATE TABLE custodians (
    name              TEXT    NOT NULL PRIMARY KEY,
    title             TEXT    NOT NULL,
    organization      TEXT    NOT NULL,
    phone             TEXT,
    location          TEXT,
    status            TEXT    NOT NULL CHECK (status IN ('active', 'pending', 'revoked')),
    public_key        TEXT    NOT NULL,           -- Ed25519, hex
    sealed_secret_key TEXT    NOT NULL,           -- nonce || XChaCha20-Poly1305(secret key), hex
    kdf_salt          TEXT    NOT NULL,           -- Argon2id salt, hex
    kdf_ops_limit     INTEGER NOT NULL,
    kdf_mem_limit     INTEGER NOT NULL,
    added_at          TEXT    NOT NULL,
    added_event       INTEGER NOT NULL REFERENCES events (sequence),
    revoked_by        TEXT,
    revoked_at        TEXT,
    revoked_event     INTEGER REFERENCES events (sequence)
);

CREATE TABLE custodian_approvals (
    custodian   TEXT    NOT NULL REFERENCES custodians (name),
    approver    TEXT    NOT NULL REFERENCES custodians (name),
    approved_at TEXT    NOT NULL,
    event       INTEGER NOT NULL REFERENCES events (sequence),
    PRIMARY KEY (custodian, approver)
);

CREATE TABLE media (
    serial          TEXT    NOT NULL PRIMARY KEY,
    barcode         TEXT    UNIQUE,
    media_type      TEXT    NOT NULL,             -- LTO-9, HDD, SSD, ...
    capacity        TEXT,
    property_number TEXT,
    make            TEXT,
    model           TEXT,
    classification  TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('new', 'active', 'full', 'quarantined', 'disposal-requested',
                                                      'disposal-approved', 'sanitized', 'disposed', 'lost')),
    prior_state     TEXT,                         -- where `found` returns a lost medium to
    location        TEXT    NOT NULL,             -- onsite:NAME, offsite:VAULT or in-transit:COURIER
    destination     TEXT,                         -- where an in-transit medium is headed
    added_by        TEXT    NOT NULL REFERENCES custodians (name),
    added_at        TEXT    NOT NULL,
    last_event      INTEGER NOT NULL REFERENCES events (sequence)
);
CREATE INDEX media_by_location ON media (location);
CREATE INDEX media_by_state ON media (state);

-- One row per hand-over; the id is the sequence of the event that sent it.
CREATE TABLE custody_moves (
    id            INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial        TEXT    NOT NULL REFERENCES media (serial),
    from_location TEXT    NOT NULL,
    to_location   TEXT    NOT NULL,
    courier       TEXT    NOT NULL,
    sent_by       TEXT    NOT NULL,
    sent_at       TEXT    NOT NULL,
    received_by   TEXT,
    received_at   TEXT,
    receive_event INTEGER REFERENCES events (sequence)
);
CREATE INDEX custody_moves_by_serial ON custody_moves (serial, id);

-- Legal or audit holds; the id is the sequence of the event that placed it.
CREATE TABLE holds (
    id            INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial        TEXT    NOT NULL REFERENCES media (serial),
    reason        TEXT    NOT NULL,
    placed_by     TEXT    NOT NULL,
    placed_at     TEXT    NOT NULL,
    released_by   TEXT,
    released_at   TEXT,
    release_event INTEGER REFERENCES events (sequence)
);
CREATE INDEX holds_by_serial ON holds (serial, id);

-- Backup sets written to a medium, with their retention; the id is the recording event's sequence.
CREATE TABLE backup_set_copies (
    id              INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial          TEXT    NOT NULL REFERENCES media (serial),
    repository_id   TEXT    NOT NULL,
    snapshot_ids    TEXT    NOT NULL,             -- JSON array of strings
    sources         TEXT    NOT NULL,             -- JSON array of strings
    bytes           INTEGER NOT NULL,
    retain_until    TEXT    NOT NULL,
    key_slot_ids    TEXT    NOT NULL,             -- JSON array of strings
    key_description TEXT    NOT NULL,
    written_at      TEXT    NOT NULL,
    recorded_by     TEXT    NOT NULL,
    erased_event    INTEGER REFERENCES events (sequence)  -- the sanitization that erased it
);
CREATE INDEX backup_set_copies_by_serial ON backup_set_copies (serial, id);

-- Disposal requests and what became of them; the id is the request event's sequence.
CREATE TABLE disposals (
    id                  INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial              TEXT    NOT NULL REFERENCES media (serial),
    reason              TEXT    NOT NULL,
    requested_by        TEXT    NOT NULL,
    requested_at        TEXT    NOT NULL,
    approved_by         TEXT,
    approved_at         TEXT,
    approve_event       INTEGER REFERENCES events (sequence),
    method              TEXT,                     -- clear, purge or destroy (NIST SP 800-88)
    technique           TEXT,
    tool                TEXT,
    verification        TEXT,
    destination         TEXT,
    details             TEXT,
    post_classification TEXT,
    notes               TEXT,
    performed_by        TEXT,
    performed_at        TEXT,
    record_event        INTEGER REFERENCES events (sequence),
    validated_by        TEXT,
    validated_at        TEXT,
    validate_event      INTEGER REFERENCES events (sequence),
    outcome             TEXT                      -- disposed or sanitized, once validated
);
CREATE INDEX disposals_by_serial ON disposals (serial, id);

-- Physical inventories; the id is the inventory event's sequence.
CREATE TABLE inventories (
    id         INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    location   TEXT    NOT NULL,
    taken_by   TEXT    NOT NULL,
    taken_at   TEXT    NOT NULL,
    scanned    TEXT    NOT NULL,                  -- JSON array: what was scanned, as given
    present    TEXT    NOT NULL,                  -- JSON array of serials
    missing    TEXT    NOT NULL,                  -- JSON array of serials
    unexpected TEXT    NOT NULL,                  -- JSON array of scanned values no medium has
    misplaced  TEXT    NOT NULL                   -- JSON array of serials the catalog puts elsewhere
);

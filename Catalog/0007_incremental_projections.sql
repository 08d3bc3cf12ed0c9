-- Issue 16: a signed catalog step costs the same with 100 or 100,000 events behind it. A step applies its one
-- new event to the current-state tables instead of replaying the log; `kura audit verify` checks the log from
-- the newest stored signed checkpoint forward (`--full`: from event 1). See man/kura-catalog.5, VERIFICATION.

-- The event the current-state tables were projected up to. A step refuses to build on tables whose head is
-- not the log's last event (events deleted or changed behind the tables' back); a catalog without this row
-- (made before this migration) is brought up to date by one replay of the log.
CREATE TABLE projection_head (
    id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    events INTEGER NOT NULL,
    head   TEXT    NOT NULL
);

-- The state a medium was in when its disposal was requested: what a cancellation returns it to. Before
-- this table only a replay of the log knew it; now it is projected like every other current-state row.
CREATE TABLE disposal_prior_states (
    disposal INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    serial   TEXT    NOT NULL,
    state    TEXT    NOT NULL
);
CREATE INDEX disposal_prior_states_by_serial ON disposal_prior_states (serial, disposal);

-- Checkpoints signed by a custodian after `kura audit checkpoint --as NAME` verified the whole log. `state` is the
-- catalog's state at event `events` (JSON); its BLAKE2b-256 is `state_hash`, which the signature covers, so
-- `kura audit verify` can replay the rules from here forward without replaying what came before.
CREATE TABLE checkpoints (
    events     INTEGER NOT NULL PRIMARY KEY REFERENCES events (sequence),
    head       TEXT    NOT NULL,
    time       TEXT    NOT NULL,
    signer     TEXT    NOT NULL,
    public_key TEXT    NOT NULL,
    state_hash TEXT    NOT NULL,
    signature  TEXT    NOT NULL,
    state      TEXT    NOT NULL
);

-- Each step refuses a clock that went back (rule clock-not-backwards) by finding the log's newest time:
-- read from this index, not by scanning every event.
CREATE INDEX events_by_time ON events (occurred_at, sequence);

-- A step decides on the custodians' events (and the medium's own, read by events_by_subject), not on the tables:
-- found by kind, not by scanning the log.
CREATE INDEX events_by_kind ON events (kind, sequence);

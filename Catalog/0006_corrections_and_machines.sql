-- Corrections are signed events, never edits (man/kura-catalog.5): a disposal request withdrawn by
-- `media.disposal-cancelled` keeps its row, with who withdrew it, when, why and by which event.
ALTER TABLE disposals ADD COLUMN cancelled_by  TEXT;
ALTER TABLE disposals ADD COLUMN cancelled_at  TEXT;
ALTER TABLE disposals ADD COLUMN cancel_reason TEXT;
ALTER TABLE disposals ADD COLUMN cancel_event  INTEGER REFERENCES events(sequence);

-- Machine signers: a host's key, sealed under a host secret, that may sign backup records, media
-- writes and verifications, and drills, never a disposal step, a hold release or an approval.
ALTER TABLE custodians ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'machine'));

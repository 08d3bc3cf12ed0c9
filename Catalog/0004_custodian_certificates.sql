-- Trust anchor (man/kura-catalog.5, TRUST ANCHOR): on a catalog created with an organisation's CA
-- certificate (event 1, `catalog.anchored`), every custodian enrols with an X.509 certificate from
-- that CA. The certificate itself stays in the enrolment event; these columns project what identifies
-- it. Both are NULL for a custodian of a catalog without a trust anchor (self-asserted identity).
ALTER TABLE custodians ADD COLUMN certificate_subject TEXT;   -- the certificate's subject DN (RFC 4514)
ALTER TABLE custodians ADD COLUMN certificate_key     TEXT;   -- BLAKE2b-256 of its SubjectPublicKeyInfo, hex

-- Outbound messages and verifications.
--
-- outbound_messages: every message part a carrier accepted, keyed by the carrier connection and the
-- carrier's message id, so its delivery receipt finds the route to credit and the owner to tell
-- (reference "verification:<id>"). No text and no number is stored here.

CREATE TABLE IF NOT EXISTS outbound_messages (
    connection         text        NOT NULL,
    carrier_message_id text        NOT NULL,
    route_id           text        NOT NULL,
    reference          text        NOT NULL,
    submitted_at       timestamptz NOT NULL,
    status             text        NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'undelivered')),
    receipt_at         timestamptz,
    error              text,
    PRIMARY KEY (connection, carrier_message_id)
);

CREATE INDEX IF NOT EXISTS outbound_messages_by_reference ON outbound_messages (reference);

-- verifications: the index of outbound verifications (the verification grains' state is the truth).
-- The end user's number is never stored in clear: to_encrypted is AES-256-GCM (nonce | tag |
-- ciphertext), to_hash and prefix_hash are HMAC-SHA256 under the server's index key, for the
-- per-number and per-prefix limits. A pending row whose expires_at has passed is expired: the grain
-- writes the final status when it next runs, so readers treat (status = 'pending' AND expires_at <=
-- now()) as expired.

CREATE TABLE IF NOT EXISTS verifications (
    verification_id text        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    to_hash         bytea       NOT NULL CHECK (length(to_hash) = 32),
    prefix_hash     bytea       NOT NULL CHECK (length(prefix_hash) = 32),
    to_encrypted    bytea       NOT NULL,
    channel         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'approved', 'canceled', 'expired', 'max_attempts_reached', 'failed')),
    delivery        text        NOT NULL CHECK (delivery IN ('none', 'sent', 'delivered', 'undelivered')),
    sends           integer     NOT NULL DEFAULT 0,
    checks          integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS verifications_by_number ON verifications (to_hash, created_at);
CREATE INDEX IF NOT EXISTS verifications_by_prefix ON verifications (prefix_hash, created_at);
CREATE INDEX IF NOT EXISTS verifications_by_tenant ON verifications (tenant_id, created_at);

-- Inbound SMS as received from carriers: every message is stored once (a carrier's message id is
-- unique per carrier), with the lease it was delivered to (NULL: unsolicited) and the code found in it.
-- The sender is stored masked; the recipient is one of Pool's own numbers.

CREATE TABLE IF NOT EXISTS messages (
    message_id         text        PRIMARY KEY,
    carrier            text        NOT NULL,
    carrier_message_id text        NOT NULL,
    sender_masked      text        NOT NULL,
    number             text        NOT NULL,
    body               text,
    received_at        timestamptz NOT NULL,
    stored_at          timestamptz NOT NULL DEFAULT now(),
    lease_id           text,
    tenant_id          text,
    code               text,
    service            text,
    -- Set once the message was offered to its number (and lease): a retry of a delivery that died
    -- between storing and routing routes it again instead of dropping it as a duplicate.
    routed             boolean     NOT NULL DEFAULT false,
    UNIQUE (carrier, carrier_message_id)
);

CREATE INDEX IF NOT EXISTS messages_by_lease ON messages (lease_id, received_at) WHERE lease_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_by_number ON messages (number, received_at DESC);

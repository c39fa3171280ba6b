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

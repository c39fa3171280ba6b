-- What carriers hand Pool is stored even when Pool cannot use it.
--
-- messages: the flags of what Pool could not do with a message (binary, compressed, reserved_coding,
-- undecodable, unroutable, message_waiting) and the PDU fields it arrived in (NULL for an HTTP
-- carrier's plain text), so operators can inspect it. dedup_key is set when the carrier gave no
-- message id (SMPP MO): a digest of the content, which counts as the same message only within a
-- sliding window of received_at; carrier_message_id then holds digest@received-at, unique as before.

ALTER TABLE messages
    ADD COLUMN IF NOT EXISTS flags               text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS command             text,
    ADD COLUMN IF NOT EXISTS data_coding         smallint,
    ADD COLUMN IF NOT EXISTS esm_class           smallint,
    ADD COLUMN IF NOT EXISTS user_data           bytea,
    ADD COLUMN IF NOT EXISTS tlvs                bytea,
    ADD COLUMN IF NOT EXISTS source_ton          smallint,
    ADD COLUMN IF NOT EXISTS source_npi          smallint,
    ADD COLUMN IF NOT EXISTS dest_ton            smallint,
    ADD COLUMN IF NOT EXISTS dest_npi            smallint,
    ADD COLUMN IF NOT EXISTS destination_address text,
    ADD COLUMN IF NOT EXISTS problem             text,
    ADD COLUMN IF NOT EXISTS dedup_key           text;

-- The duplicate check: the copies of one digest near a received time.
CREATE INDEX IF NOT EXISTS messages_by_dedup_key ON messages (carrier, dedup_key, received_at) WHERE dedup_key IS NOT NULL;

-- The operators' list: flagged or never routed messages, newest first.
CREATE INDEX IF NOT EXISTS messages_for_operators ON messages (received_at DESC, message_id) WHERE flags <> '{}' OR NOT routed;

-- outbound_messages: an SMSC that restarts its id counter hands out the same id again, so a part is
-- keyed by a surrogate id; a status report matches the newest unsettled part with its id on its
-- connection. 'enroute': an intermediate report or non-final receipt arrived; not settled yet.

ALTER TABLE outbound_messages ADD COLUMN IF NOT EXISTS outbound_id bigint GENERATED ALWAYS AS IDENTITY;

DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = 'outbound_messages'::regclass AND c.contype = 'p' AND a.attname = 'carrier_message_id')
    THEN
        ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_pkey;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'outbound_messages'::regclass AND contype = 'p') THEN
        ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_pkey PRIMARY KEY (outbound_id);
    END IF;
END
$$;

ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check CHECK (status IN ('sent', 'enroute', 'delivered', 'undelivered'));

CREATE INDEX IF NOT EXISTS outbound_messages_by_carrier_id ON outbound_messages (connection, carrier_message_id, submitted_at DESC);

-- status_reports: every status report a carrier handed over (delivery receipts, intermediate
-- notifications, SME acknowledgements), stored before the carrier is answered. outbound_id is the
-- part it was matched to (NULL: pending, no submit with its id known yet; claimed when that submit
-- is recorded); applied_at is when it was applied to that part. No foreign key: either table may be
-- purged on its own schedule. No message text is stored.

CREATE TABLE IF NOT EXISTS status_reports (
    report_id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection         text        NOT NULL,
    carrier_message_id text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('delivery_receipt', 'intermediate_notification', 'sme_acknowledgement', 'conversation_abort')),
    state              text        NOT NULL,
    final              boolean     NOT NULL,
    delivered          boolean     NOT NULL,
    error              text,
    received_at        timestamptz NOT NULL,
    stored_at          timestamptz NOT NULL DEFAULT now(),
    outbound_id        bigint,
    applied_at         timestamptz
);

CREATE INDEX IF NOT EXISTS status_reports_by_carrier_id ON status_reports (connection, carrier_message_id, received_at);
CREATE INDEX IF NOT EXISTS status_reports_pending ON status_reports (received_at) WHERE outbound_id IS NULL;

-- outbound_messages: settled_at is when a final receipt settled the part (NULL: not settled, or settled
-- before this column existed); owner_notified_at is when the message's owner (e.g. a verification) was
-- told of that settlement. The caller that settled the part tells the owner at once; a part settled a
-- while ago whose owner was never told (its silo died, or the owner call failed) is told by the owner
-- sweep, a reminder. Parts settled before settled_at existed are left alone: whether their owners heard
-- is unknown, and their verifications have long expired.

ALTER TABLE outbound_messages
    ADD COLUMN IF NOT EXISTS settled_at        timestamptz,
    ADD COLUMN IF NOT EXISTS owner_notified_at timestamptz;

-- The owner sweep: settled parts whose owner was not told yet, oldest settlement first.
CREATE INDEX IF NOT EXISTS outbound_messages_owner_untold ON outbound_messages (settled_at) WHERE settled_at IS NOT NULL AND owner_notified_at IS NULL;

-- id_keys: the keys a carrier message id is known by (Pool.Sms.Smpp.MessageIds.Keys: the id itself, and
-- the number it stands for read as decimal and as hex), so a report that writes the id in another form
-- than submit_sm_resp gave it (decimal for hex, padded, another case) still finds its part, also after
-- a restart; the two match when their keys overlap.
ALTER TABLE outbound_messages ADD COLUMN IF NOT EXISTS id_keys text[] NOT NULL DEFAULT '{}';
ALTER TABLE status_reports ADD COLUMN IF NOT EXISTS id_keys text[] NOT NULL DEFAULT '{}';
CREATE INDEX IF NOT EXISTS outbound_messages_by_id_keys ON outbound_messages USING gin (id_keys);
CREATE INDEX IF NOT EXISTS status_reports_pending_by_id_keys ON status_reports USING gin (id_keys) WHERE outbound_id IS NULL;

-- Delivery of inbound SMS beyond the lease stream: a per-tenant order of messages, webhook endpoints
-- and their outbox, and the retention of message text per pool.

-- A tenant's messages in the order they were handed to the tenant (assigned by the tenant's inbox
-- grain when it routes a message; a per-tenant stream resumes after one of these).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS tenant_seq     bigint;
-- When the text was purged by the retention job (the metadata stays for billing and audit).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS body_purged_at timestamptz;
-- Set for a message reassembled from parts that did not all arrive within the timeout.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS incomplete     boolean NOT NULL DEFAULT false;

CREATE UNIQUE INDEX IF NOT EXISTS messages_by_tenant_seq ON messages (tenant_id, tenant_seq) WHERE tenant_seq IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_unrouted ON messages (stored_at) WHERE NOT routed;
CREATE INDEX IF NOT EXISTS messages_with_body ON messages (received_at) WHERE body IS NOT NULL;

-- How long a pool keeps the text of the messages its numbers received.
ALTER TABLE pools ADD COLUMN IF NOT EXISTS message_retention_seconds bigint NOT NULL DEFAULT 2592000;

-- A tenant's webhook endpoints. The secret signs every delivery (Standard Webhooks); the API shows
-- it once, when the endpoint is created.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    endpoint_id     text        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    url             text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    secret          text        NOT NULL,
    enabled         boolean     NOT NULL DEFAULT true,
    disabled_reason text,
    created_at      timestamptz NOT NULL,
    disabled_at     timestamptz
);

CREATE INDEX IF NOT EXISTS webhook_endpoints_by_tenant ON webhook_endpoints (tenant_id, created_at);

-- The outbox: one row per (endpoint, event), written in the same statement that hands a message to
-- its tenant, so a crash cannot lose a delivery. event_id is the webhook-id receivers dedupe on.
-- status: pending | delivered | failed (gave up, or the endpoint answered 410).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id     text        PRIMARY KEY,
    endpoint_id     text        NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
    tenant_id       text        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    message_id      text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until   timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (endpoint_id, event_id)
);

CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_tenant ON webhook_deliveries (tenant_id, created_at DESC);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_message ON webhook_deliveries (message_id);

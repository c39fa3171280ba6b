-- Pool policies, and the queryable projections of number and lease state.
-- The grains' persisted state stays the truth; these columns and the leases table are written
-- behind it in batches (a fraction of a write per transition) for statistics, listings, shard
-- rebuilds and auditors' SQL. Each row carries the revision it reflects, so a late batch from
-- another silo never overwrites a newer one.

ALTER TABLE pools ADD COLUMN IF NOT EXISTS carrier                 text;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS region                  text;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS default_ttl_seconds     integer NOT NULL DEFAULT 1200;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS max_lease_seconds       integer NOT NULL DEFAULT 7200;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS cooldown_seconds        integer NOT NULL DEFAULT 300;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS max_uses                integer NOT NULL DEFAULT 100;
-- NULL: a number never serves the same service twice.
ALTER TABLE pools ADD COLUMN IF NOT EXISTS reuse_window_seconds    bigint;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS silent_lease_limit      integer NOT NULL DEFAULT 3;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS bad_number_limit        integer NOT NULL DEFAULT 2;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS flood_messages_per_hour integer NOT NULL DEFAULT 60;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS quarantine_seconds      integer NOT NULL DEFAULT 86400;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS max_offences            integer NOT NULL DEFAULT 3;
ALTER TABLE pools ADD COLUMN IF NOT EXISTS slide_on_message        boolean NOT NULL DEFAULT false;

-- Number state projection: available | leased | cooling | watchlisted | retired.
-- Cooling and watchlisted numbers whose status_until has passed are effectively available.
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS status        text        NOT NULL DEFAULT 'available';
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS status_until  timestamptz;
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS status_reason text;
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS uses          integer     NOT NULL DEFAULT 0;
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS revision      integer     NOT NULL DEFAULT 0;
ALTER TABLE numbers ADD COLUMN IF NOT EXISTS updated_at    timestamptz;

CREATE INDEX IF NOT EXISTS numbers_by_pool_status ON numbers (pool_id, status);

-- Lease projection: one row per lease, for "my leases" listings and audits.
CREATE TABLE IF NOT EXISTS leases (
    lease_id   text        PRIMARY KEY,
    tenant_id  text        NOT NULL,
    pool_id    text        NOT NULL,
    number     text        NOT NULL,
    service    text        NOT NULL,
    status     text        NOT NULL,
    outcome    text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz,
    revision   integer     NOT NULL
);

CREATE INDEX IF NOT EXISTS leases_by_tenant ON leases (tenant_id, created_at DESC);
CREATE INDEX IF NOT EXISTS leases_by_number ON leases (number, created_at DESC);

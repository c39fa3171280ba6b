-- Tenants (the client businesses) and their API keys. A key is stored as the SHA-256 of the whole
-- key; its id (the public prefix) identifies it in listings and logs.

CREATE TABLE IF NOT EXISTS tenants (
    tenant_id  text        PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_keys (
    key_id      text        PRIMARY KEY CHECK (key_id ~ '^pool_[0-9a-f]{12}$'),
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    scope       text        NOT NULL CHECK (scope IN ('tenant', 'admin')),
    label       text,
    secret_hash bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX IF NOT EXISTS api_keys_by_tenant ON api_keys (tenant_id);

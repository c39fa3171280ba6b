-- Carrier routes and per-country route tables, as projected by their grains (whose state is the
-- truth) so operators can list them. Live health is not stored: it is rebuilt from traffic.

CREATE TABLE IF NOT EXISTS routes (
    route_id   text        PRIMARY KEY,
    connection text        NOT NULL,
    countries  text[]      NOT NULL DEFAULT '{}',
    prefixes   text[]      NOT NULL DEFAULT '{}',
    cost       numeric     NOT NULL CHECK (cost >= 0),
    priority   integer     NOT NULL,
    enabled    boolean     NOT NULL DEFAULT true,
    override   text        NOT NULL DEFAULT 'none' CHECK (override IN ('none', 'drain', 'disable')),
    updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS route_tables (
    country          text        PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
    primary_routes   text[]      NOT NULL,
    secondary_routes text[]      NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL
);

-- Pool's number inventory: which pools exist and which numbers belong to which pool and shard.
-- Membership only: a number's lease state lives in its grain's persisted state, so leasing a number
-- writes nothing here. Operators and auditors query these tables directly.

CREATE TABLE IF NOT EXISTS pools (
    pool_id    text        PRIMARY KEY CHECK (pool_id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    country    char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS pools_by_country ON pools (country);

CREATE TABLE IF NOT EXISTS numbers (
    number   text        PRIMARY KEY CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    pool_id  text        NOT NULL REFERENCES pools (pool_id),
    country  char(2)     NOT NULL,
    -- Allocation shard (AllocationShards.ShardOf): shards load their candidates by (pool_id, shard).
    shard    smallint    NOT NULL CHECK (shard >= 0),
    added_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS numbers_by_pool_shard ON numbers (pool_id, shard);

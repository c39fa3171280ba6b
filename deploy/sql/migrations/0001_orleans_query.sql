-- 0001_orleans_query.sql
-- The OrleansQuery table: the Orleans ADO.NET providers (clustering, persistence,
-- reminders) read their SQL from here at start-up ("SELECT QueryKey, QueryText
-- FROM OrleansQuery") and refuse to start when a key they need is missing.
-- Later migrations upsert their query texts into it.
--
-- Idempotent: safe to run any number of times. Plain SQL only (no psql commands).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQueryKey PRIMARY KEY (QueryKey)
);

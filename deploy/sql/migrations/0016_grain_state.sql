-- 0016_grain_state.sql
-- Grain state of Pool's own storage provider (PoolGrainStorage), which replaces the ADO.NET
-- provider's OrleansStorage rows for every grain: a plain table keyed by the grain's own identity,
-- written by plain SQL (no plpgsql call per write) and many grains' writes at once (group commit:
-- one statement, one commit, a version check per row).
--
-- Key: the service, the state name ([PersistentState] name), the grain type and the grain key (the
-- key as Orleans prints it: a number, a lease id, a tenant id...). The grain type is part of the key,
-- so two grain classes using the same key and state name never share a row.
--
-- version is the ETag: 1 for the first write, +1 on each write (wrapping from 2147483647 to 1). A
-- state first written by the ADO.NET provider (OrleansStorage, releases before this one) is read from
-- there until its first write here, which continues its version (so projection revisions stay in
-- step). OrleansStorage stays as it is: nothing new is written to it.
--
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS grain_state
(
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    payload     bytea,
    version     integer     NOT NULL,
    modified_on timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_key, state_name, grain_type, service_id)
)
WITH (fillfactor = 80);

-- The projection reconciler reads the number and lease states modified since its watermark.
CREATE INDEX IF NOT EXISTS grain_state_modified
    ON grain_state (modified_on)
    WHERE state_name IN ('number', 'lease');

-- The audit trail: one row per state-changing action of an operator or a tenant, per refused call
-- that is audited, and per operator read of a tenant's messages. Append-only: the triggers below
-- refuse every UPDATE and TRUNCATE, and every DELETE except the retention purge (audit_purge), which
-- only removes rows older than its cutoff and never rows younger than one day. Phone numbers are
-- stored masked (+852****4567) and secrets never.

CREATE TABLE IF NOT EXISTS audit (
    audit_id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    key_id         text        NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
    role           text        NOT NULL CHECK (length(role) BETWEEN 1 AND 32),
    tenant_id      text        NOT NULL CHECK (length(tenant_id) BETWEEN 1 AND 64),
    peer_address   text        CHECK (length(peer_address) <= 64),
    correlation_id text        CHECK (length(correlation_id) <= 128),
    action         text        NOT NULL CHECK (action ~ '^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$' AND length(action) <= 64),
    target         text        NOT NULL CHECK (length(target) BETWEEN 1 AND 256),
    before         jsonb,
    after          jsonb,
    outcome        text        NOT NULL DEFAULT 'ok' CHECK (length(outcome) BETWEEN 1 AND 512)
);

CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (key_id, at);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, at);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit (target, at);

CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('pool.audit_purge_before', true) IS NOT NULL
       AND current_setting('pool.audit_purge_before', true) <> ''
       AND OLD.at < current_setting('pool.audit_purge_before', true)::timestamptz
       AND OLD.at < now() - interval '1 day' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit table is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The retention purge: deletes the rows older than cutoff (and older than one day whatever the
-- cutoff), in batches of at most max_rows; returns how many it deleted.
CREATE OR REPLACE FUNCTION audit_purge(cutoff timestamptz, max_rows integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    deleted bigint;
BEGIN
    PERFORM set_config('pool.audit_purge_before', cutoff::text, true);
    DELETE FROM audit
     WHERE audit_id IN (SELECT audit_id FROM audit WHERE at < cutoff ORDER BY at LIMIT max_rows);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('pool.audit_purge_before', '', true);
    RETURN deleted;
END;
$$;

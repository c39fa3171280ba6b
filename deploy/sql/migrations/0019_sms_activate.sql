-- The sms-activate protocol's activation ids (src/Api/SmsActivate): that protocol names an activation
-- by an integer, Pool names a lease "ls_" and 32 hex digits. Each row gives one lease of one tenant
-- its integer id; the row is written before the id is handed to the client, so an id a client holds
-- always resolves. A lookup is scoped by tenant: another tenant's id finds nothing. No number, code
-- or text is stored here.

CREATE TABLE IF NOT EXISTS sms_activate_activations (
    activation_id bigserial   PRIMARY KEY,
    tenant_id     text        NOT NULL,
    lease_id      text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS sms_activate_activations_by_tenant ON sms_activate_activations (tenant_id, activation_id);

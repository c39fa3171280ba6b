-- API key roles, expiry, address allowlists and rotation. The two-valued scope becomes a role
-- (scope 'admin' → role admin, 'tenant' → tenant); expires_at ends a key without revoking it (a
-- rotation sets the old key's); allowed_cidrs lists the networks calls with the key may come from
-- (empty: any address); rotated_from names the key a rotation replaced.

ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS role text;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'api_keys' AND column_name = 'scope') THEN
        UPDATE api_keys SET role = scope WHERE role IS NULL;
        ALTER TABLE api_keys DROP COLUMN scope;
    END IF;
END;
$$;

ALTER TABLE api_keys ALTER COLUMN role SET NOT NULL;
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('admin', 'operator', 'auditor', 'tenant', 'tenant-readonly'));

ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS allowed_cidrs cidr[] NOT NULL DEFAULT '{}';
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS rotated_from text REFERENCES api_keys (key_id);

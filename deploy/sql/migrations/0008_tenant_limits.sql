-- Per-tenant limits: request rate, concurrent leases, and the anti-scan rule (a tenant whose recent
-- leases mostly received no SMS is throttled for a while). Leases record how many SMS they received.

ALTER TABLE tenants ADD COLUMN IF NOT EXISTS requests_per_second  integer NOT NULL DEFAULT 50;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS max_active_leases    integer NOT NULL DEFAULT 100;
-- How many of the tenant's most recent ended leases the anti-scan rule looks at, and how many it
-- needs before judging.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS scan_window          integer NOT NULL DEFAULT 50;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS scan_min_leases      integer NOT NULL DEFAULT 20;
-- Share (percent) of those leases without any SMS that triggers the throttle, and for how long.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS scan_silent_percent  integer NOT NULL DEFAULT 90;
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS scan_cooloff_seconds integer NOT NULL DEFAULT 600;

ALTER TABLE leases ADD COLUMN IF NOT EXISTS messages integer NOT NULL DEFAULT 0;

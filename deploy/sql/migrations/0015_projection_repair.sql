-- Repair of the number and lease projections (ProjectionReconciler, ExpirySweepGrain).
--
-- The projections are written behind the grains' state. What a silo had not written when it died is
-- found again by comparing each number's and lease's stored state version (OrleansStorage.Version,
-- bumped by every write, in step with the state's Revision) with the revision its projection row
-- reflects, for the states written since the reconciler's watermark. The index on ModifiedOn makes
-- that window cheap to read; it costs every grain-state update its HOT-update eligibility (one more
-- index entry in the same commit), never an extra commit.
--
-- numbers.lease_id names the lease a leased number is held by, so the expiry sweep can find a number
-- held by a lease whose record is missing or ended, and an active lease whose number no longer
-- holds it, and ask them to settle it between themselves.
--
-- Idempotent: safe to run any number of times.

CREATE INDEX IF NOT EXISTS OrleansStorageModified
    ON OrleansStorage (ModifiedOn)
    WHERE GrainTypeString IN ('number', 'lease');

CREATE TABLE IF NOT EXISTS projection_watermark (
    service_id text        PRIMARY KEY,
    -- Every number and lease state modified at or before this instant has been compared with its row.
    through    timestamptz NOT NULL
);

ALTER TABLE numbers ADD COLUMN IF NOT EXISTS lease_id text;

CREATE INDEX IF NOT EXISTS leases_active_by_pool ON leases (pool_id) WHERE status = 'active';

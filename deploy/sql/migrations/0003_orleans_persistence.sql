-- 0003_orleans_persistence.sql
-- Grain state storage for Microsoft.Orleans.Persistence.AdoNet 10.4.2 (Invariant "Npgsql"):
-- the OrleansStorage table, two functions doing version-checked writes and deletes,
-- and the query texts WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and
-- DeleteStorageKey.
--
-- Contract notes (from the provider's sources):
--  * A row is keyed by ServiceId + GrainTypeString (the state name) + GrainIdN0/N1 +
--    GrainIdExtensionString (NULL for keys without extension); GrainIdHash and
--    GrainTypeHash are int4 hashes of those, used to make the lookups cheap.
--  * The payload is always bytes (the provider's serializer output) in PayloadBinary.
--  * The ETag is Version (int4), bound as @GrainStateVersion, NULL when the grain
--    believes no row exists.
--  * Write, clear and delete return one row with one int4 column NewGrainStateVersion:
--    the new version on success, NULL when the version check failed. The provider turns
--    NULL into an InconsistentStateException (it also does so for no row, or for a
--    returned version equal to the one it sent), so a stale write changes nothing.
--  * The read returns PayloadBinary and Version (no row: the grain has no state yet;
--    a row with NULL PayloadBinary: cleared state that keeps its version).
--
-- Idempotent: safe to run any number of times. Plain SQL only (no psql commands).

-- fillfactor leaves room on each page so that state updates can be HOT updates
-- (no indexed column ever changes on update).
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              varchar(150) NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainIdExtensionString varchar(512),
    PayloadBinary          bytea,
    Version                integer      NOT NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now()
)
WITH (fillfactor = 80);

-- One row per grain state. NULLS NOT DISTINCT (PostgreSQL 15+) makes two rows without
-- key extension collide, so two racing first writes cannot both insert.
CREATE UNIQUE INDEX IF NOT EXISTS OrleansStorageGrainKey
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1,
                       ServiceId, GrainTypeString, GrainIdExtensionString)
    NULLS NOT DISTINCT;

-- Writes (or, with pPayload NULL, clears) one grain state.
--  pVersion NULL     : insert version 1, only if no row exists for the grain.
--  pVersion not NULL : update, only if the stored version equals pVersion; bump it.
-- Returns the new version, or NULL if nothing was written (version conflict).
-- The version wraps from 2147483647 to 1 rather than overflow the int4 ETag.
CREATE OR REPLACE FUNCTION OrleansStorageWrite(
    pServiceId        text,
    pGrainTypeHash    integer,
    pGrainTypeString  text,
    pGrainIdHash      integer,
    pGrainIdN0        bigint,
    pGrainIdN1        bigint,
    pGrainIdExtension text,
    pVersion          integer,
    pPayload          bytea)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    vNewVersion integer;
BEGIN
    IF pVersion IS NULL THEN
        INSERT INTO OrleansStorage
            (ServiceId, GrainTypeHash, GrainTypeString, GrainIdHash, GrainIdN0, GrainIdN1,
             GrainIdExtensionString, PayloadBinary, Version)
        VALUES
            (pServiceId, pGrainTypeHash, pGrainTypeString, pGrainIdHash, pGrainIdN0, pGrainIdN1,
             pGrainIdExtension, pPayload, 1)
        ON CONFLICT DO NOTHING
        RETURNING Version INTO vNewVersion;
    ELSE
        UPDATE OrleansStorage
        SET PayloadBinary = pPayload,
            Version = CASE WHEN Version = 2147483647 THEN 1 ELSE Version + 1 END,
            ModifiedOn = now()
        WHERE GrainIdHash = pGrainIdHash
          AND GrainTypeHash = pGrainTypeHash
          AND GrainIdN0 = pGrainIdN0
          AND GrainIdN1 = pGrainIdN1
          AND ServiceId = pServiceId
          AND GrainTypeString = pGrainTypeString
          AND GrainIdExtensionString IS NOT DISTINCT FROM pGrainIdExtension
          AND Version = pVersion
        RETURNING Version INTO vNewVersion;
    END IF;

    RETURN vNewVersion;   -- NULL: no row written
END;
$$;

-- Deletes one grain state (used when DeleteStateOnClear = true).
--  pVersion not NULL : delete only if the stored version equals pVersion.
--  pVersion NULL     : succeeds only if there is no row to delete.
-- Returns a non-NULL version different from pVersion on success (the provider treats
-- a returned value equal to the ETag it sent as a conflict), NULL on conflict.
CREATE OR REPLACE FUNCTION OrleansStorageDelete(
    pServiceId        text,
    pGrainTypeHash    integer,
    pGrainTypeString  text,
    pGrainIdHash      integer,
    pGrainIdN0        bigint,
    pGrainIdN1        bigint,
    pGrainIdExtension text,
    pVersion          integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    vOldVersion integer;
BEGIN
    IF pVersion IS NULL THEN
        PERFORM 1
        FROM OrleansStorage
        WHERE GrainIdHash = pGrainIdHash
          AND GrainTypeHash = pGrainTypeHash
          AND GrainIdN0 = pGrainIdN0
          AND GrainIdN1 = pGrainIdN1
          AND ServiceId = pServiceId
          AND GrainTypeString = pGrainTypeString
          AND GrainIdExtensionString IS NOT DISTINCT FROM pGrainIdExtension;
        RETURN CASE WHEN FOUND THEN NULL ELSE 0 END;
    END IF;

    DELETE FROM OrleansStorage
    WHERE GrainIdHash = pGrainIdHash
      AND GrainTypeHash = pGrainTypeHash
      AND GrainIdN0 = pGrainIdN0
      AND GrainIdN1 = pGrainIdN1
      AND ServiceId = pServiceId
      AND GrainTypeString = pGrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM pGrainIdExtension
      AND Version = pVersion
    RETURNING Version INTO vOldVersion;

    IF vOldVersion IS NULL THEN
        RETURN NULL;      -- stale version or no row: nothing deleted
    END IF;
    RETURN CASE WHEN vOldVersion = 2147483647 THEN 1 ELSE vOldVersion + 1 END;
END;
$$;

-- Query texts. Parameter names are the provider's (@Name, bound by Npgsql):
-- GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
-- GrainIdExtensionString, ServiceId, GrainStateVersion, PayloadBinary.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey', $sql$
SELECT PayloadBinary, Version, ModifiedOn
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$
),
(
    'WriteToStorageKey', $sql$
SELECT OrleansStorageWrite(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
                           @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
                           @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
$sql$
),
(
    -- Clearing is a version-checked write of a NULL payload: the row and its version stay.
    'ClearStorageKey', $sql$
SELECT OrleansStorageWrite(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
                           @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
                           @GrainStateVersion, NULL) AS NewGrainStateVersion;
$sql$
),
(
    'DeleteStorageKey', $sql$
SELECT OrleansStorageDelete(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
                            @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
                            @GrainStateVersion) AS NewGrainStateVersion;
$sql$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

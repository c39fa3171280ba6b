-- 0002_orleans_clustering.sql
-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4.2 (Invariant "Npgsql"):
-- the per-cluster version row, the membership rows, two functions for the
-- version-checked writes, and the query texts the provider loads from OrleansQuery.
--
-- Contract notes (from the provider's sources):
--  * "DeploymentId" is the Orleans ClusterId. Address is bound as text, Port,
--    Generation, Status and ProxyPort as int4, Version as int4, StartTime and
--    IAmAliveTime as DateTime of Kind Utc with DbType.DateTime, which Npgsql 10
--    sends as timestamptz: so every time column here is timestamptz.
--  * The membership etag is the table version (one counter per cluster). Insert and
--    update of a member row succeed only when @Version equals the stored version,
--    and bump it in the same transaction; they return a single boolean column.
--  * Read queries return the version row LEFT JOINed to the member rows, so that an
--    empty cluster still yields one row carrying Version (StartTime NULL = no member).
--
-- Idempotent: safe to run any number of times. Plain SQL only (no psql commands).

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    ChangedOn    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,
    CONSTRAINT OrleansMembershipVersionTableKey PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(255) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL,
    SuspectTimes text,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    CONSTRAINT OrleansMembershipTableKey PRIMARY KEY (DeploymentId, Address, Port, Generation),
    -- Deleting a cluster's version row (DeleteMembershipTableEntriesKey) drops its members.
    CONSTRAINT OrleansMembershipTableDeployment FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- Inserts a member row if the cluster's version is still pVersion and the row is new;
-- then bumps the version. The version row is locked first, so concurrent membership
-- writers of one cluster serialise on it and at most one of them wins per version.
CREATE OR REPLACE FUNCTION OrleansMembershipInsert(
    pDeploymentId text,
    pAddress      text,
    pPort         integer,
    pGeneration   integer,
    pSiloName     text,
    pHostName     text,
    pStatus       integer,
    pProxyPort    integer,
    pStartTime    timestamptz,
    pIAmAliveTime timestamptz,
    pVersion      integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    vCurrent integer;
BEGIN
    SELECT Version INTO vCurrent
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = pDeploymentId
    FOR UPDATE;

    -- Also false when the cluster has no version row (vCurrent is NULL).
    IF vCurrent IS DISTINCT FROM pVersion THEN
        RETURN false;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (pDeploymentId, pAddress, pPort, pGeneration, pSiloName, pHostName,
         pStatus, pProxyPort, pStartTime, pIAmAliveTime)
    ON CONFLICT DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;   -- the silo row already exists: nothing changed
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, ChangedOn = now()
    WHERE DeploymentId = pDeploymentId;

    RETURN true;
END;
$$;

-- Updates status, suspicions and heartbeat of an existing member row if the cluster's
-- version is still pVersion; then bumps the version. Same locking as the insert.
CREATE OR REPLACE FUNCTION OrleansMembershipUpdate(
    pDeploymentId text,
    pAddress      text,
    pPort         integer,
    pGeneration   integer,
    pStatus       integer,
    pSuspectTimes text,
    pIAmAliveTime timestamptz,
    pVersion      integer)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    vCurrent integer;
BEGIN
    SELECT Version INTO vCurrent
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = pDeploymentId
    FOR UPDATE;

    IF vCurrent IS DISTINCT FROM pVersion THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = pStatus,
        SuspectTimes = pSuspectTimes,
        IAmAliveTime = pIAmAliveTime
    WHERE DeploymentId = pDeploymentId
      AND Address = pAddress
      AND Port = pPort
      AND Generation = pGeneration;

    IF NOT FOUND THEN
        RETURN false;   -- no such silo row: nothing changed
    END IF;

    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, ChangedOn = now()
    WHERE DeploymentId = pDeploymentId;

    RETURN true;
END;
$$;

-- Query texts. Parameter names are the provider's (@Name, bound by Npgsql).
-- Keys required by 10.4.2: InsertMembershipVersionKey, InsertMembershipKey,
-- UpdateMembershipKey, UpdateIAmAlivetimeKey, MembershipReadRowKey, MembershipReadAllKey,
-- DeleteMembershipTableEntriesKey, GatewaysQueryKey, CleanupDefunctSiloEntriesKey.
-- CleanupDefunctSiloEntryKey is optional in 10.4.2; when present the provider picks the
-- dead rows itself and deletes each one only if it is still exactly as it read it.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Returns one boolean: true if this call created the cluster's version row.
    'InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING DeploymentId
)
SELECT EXISTS (SELECT 1 FROM created) AS Created;
$sql$
),
(
    'InsertMembershipKey', $sql$
SELECT OrleansMembershipInsert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                               @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS Succeeded;
$sql$
),
(
    'UpdateMembershipKey', $sql$
SELECT OrleansMembershipUpdate(@DeploymentId, @Address, @Port, @Generation,
                               @Status, @SuspectTimes, @IAmAliveTime, @Version) AS Succeeded;
$sql$
),
(
    -- Heartbeat: touches only the silo's own row and deliberately not the table version.
    'UpdateIAmAlivetimeKey', $sql$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$sql$
),
(
    'MembershipReadRowKey', $sql$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$sql$
),
(
    'MembershipReadAllKey', $sql$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName,
       m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$sql$
),
(
    -- Removes the whole cluster: the version row, and its members by ON DELETE CASCADE.
    'DeleteMembershipTableEntriesKey', $sql$
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId;
$sql$
),
(
    -- Clients find gateways here; @Status is bound to SiloStatus.Active (3).
    'GatewaysQueryKey', $sql$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$sql$
),
(
    -- Fallback used only when CleanupDefunctSiloEntryKey is absent: drop dead (6) rows
    -- that neither started nor heartbeat since the cutoff @IAmAliveTime.
    'CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND StartTime < @IAmAliveTime
  AND IAmAliveTime < @IAmAliveTime;
$sql$
),
(
    -- Deletes one dead row the provider selected, only if it is unchanged since it was
    -- read (same start, heartbeat and suspicions). NULL and '' suspicions are equal here:
    -- the provider reads both back as "no suspicions".
    'CleanupDefunctSiloEntryKey', $sql$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$sql$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

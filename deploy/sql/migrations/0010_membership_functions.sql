-- Membership writes, restated: the version check and the version bump that OrleansMembershipInsert and
-- OrleansMembershipUpdate share become functions of their own. Same behaviour as 0002; 0002 stays as
-- shipped (applied migrations are never edited).

-- The version check both membership writes share: locks the cluster's version row, so concurrent
-- membership writers of one cluster serialise on it, and says whether it is still pVersion (false
-- also when the cluster has no version row).
CREATE OR REPLACE FUNCTION OrleansMembershipLockVersion(pDeploymentId text, pVersion integer)
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

    RETURN vCurrent IS NOT DISTINCT FROM pVersion AND vCurrent IS NOT NULL;
END;
$$;

-- Moves the cluster's version on after a successful membership write.
CREATE OR REPLACE FUNCTION OrleansMembershipBumpVersion(pDeploymentId text)
RETURNS void
LANGUAGE sql
AS $$
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, ChangedOn = now()
    WHERE DeploymentId = pDeploymentId;
$$;

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
BEGIN
    IF NOT OrleansMembershipLockVersion(pDeploymentId, pVersion) THEN
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

    PERFORM OrleansMembershipBumpVersion(pDeploymentId);
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
BEGIN
    IF NOT OrleansMembershipLockVersion(pDeploymentId, pVersion) THEN
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

    PERFORM OrleansMembershipBumpVersion(pDeploymentId);
    RETURN true;
END;
$$;

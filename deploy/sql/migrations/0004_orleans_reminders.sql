-- 0004_orleans_reminders.sql
-- Reminder table for Microsoft.Orleans.Reminders.AdoNet 10.4.2 (Invariant "Npgsql"):
-- the OrleansRemindersTable and the query texts UpsertReminderRowKey,
-- ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key, ReadRangeRows2Key,
-- DeleteReminderRowKey and DeleteReminderRowsKey.
--
-- Contract notes (from the provider's sources):
--  * GrainId is the grain id's string form (bound as text); GrainHash is its uniform
--    hash, a uint32 bound as a signed int4, so it is stored and compared signed.
--  * StartTime is a DateTime of Kind Utc sent as timestamptz; Period is milliseconds,
--    bound as int4 or int8 and read back with GetInt64, hence bigint.
--  * The reminder ETag is Version (int4). The upsert returns the new Version; a delete
--    returns one boolean column: true only if the row existed with that Version.
--  * Range reads: the provider picks ReadRangeRows1Key when (int)begin < (int)end
--    (begin < hash <= end), else ReadRangeRows2Key, the wrap-around
--    (hash > begin OR hash <= end); with begin = end that is the whole ring.
--
-- Idempotent: safe to run any number of times. Plain SQL only (no psql commands).

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(512) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,
    CONSTRAINT OrleansRemindersTableKey PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo reads the reminders of its hash range(s) of the ring.
CREATE INDEX IF NOT EXISTS OrleansRemindersTableHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- Query texts. Parameter names are the provider's (@Name, bound by Npgsql).
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- One statement, so concurrent upserts of one reminder cannot both insert.
    -- Returns the row's new Version (0 when created), read by the provider as the ETag.
    'UpsertReminderRowKey', $sql$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = CASE WHEN r.Version = 2147483647 THEN 0 ELSE r.Version + 1 END
RETURNING Version;
$sql$
),
(
    'ReadReminderRowsKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId;
$sql$
),
(
    'ReadReminderRowKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName;
$sql$
),
(
    'ReadRangeRows1Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash;
$sql$
),
(
    'ReadRangeRows2Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$sql$
),
(
    'DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted;
$sql$
),
(
    'DeleteReminderRowsKey', $sql$
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
$sql$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

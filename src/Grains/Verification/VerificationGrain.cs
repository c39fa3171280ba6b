using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Contracts.Verification;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Verification;

/// <summary>
/// One outbound verification: Pending → Approved | Canceled | Expired | MaxAttemptsReached | Failed.
/// Expiry is evaluated from the persisted deadline at the start of every call, so a verification
/// whose silo died is expired the moment anyone asks (no reminder per verification is needed), and a
/// grain timer at the deadline writes the final status while the grain is active, so the
/// verifications table catches up without a call. Non-reentrant: a check and a resend never interleave.
/// </summary>
public sealed class VerificationGrain(
    [PersistentState("verification", PoolStorage.Name)] IPersistentState<VerificationState> state,
    VerificationCrypto crypto,
    VerificationStore store,
    IOptions<VerificationOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<VerificationGrain> logger) : Grain, IVerificationGrain
{
    public const string ReferencePrefix = "verification:";

    /// <summary>What a verification shows as its number once its end user's data was erased.</summary>
    public const string ErasedNumber = "(erased)";

    private const string NumberPurpose = "number";
    private const string CodePurpose = "code";
    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(10);

    private IGrainTimer? _expiryTimer;

    private string VerificationId => this.GetPrimaryKeyString();

    private VerificationOptions Options => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Record is { Status: VerificationStatus.Pending } record)
        {
            ArmTimer(record.ExpiresAt);
        }

        return Task.CompletedTask;
    }

    public async Task<VerificationInfo> StartAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        var valid = Validate(request);
        crypto.EnsureConfigured();
        if (state.State.Record is { } existing)
        {
            var same = existing.TenantId == valid.Request.TenantId && existing.NumberHash.AsSpan().SequenceEqual(crypto.NumberIndex(valid.To))
                && existing.Channel == valid.Channel && existing.Locale == valid.Locale && existing.CodeLength == valid.CodeLength && existing.Ttl == valid.Ttl;
            if (!same)
            {
                throw new PoolException(PoolErrorCode.Conflict, $"verification {VerificationId} was started with a different request", "verification_id");
            }

            // A repeated start answers as the first did: a verification that could not be sent is still Unavailable.
            return existing.Status == VerificationStatus.Failed
                ? throw new PoolException(PoolErrorCode.Unavailable, $"verification {VerificationId} failed: no carrier route took it")
                : (await ExpireIfDueAsync(existing)).ToInfo(VerificationId);
        }

        var now = time.GetUtcNow();
        var numberHash = crypto.NumberIndex(valid.To);
        var prefix = valid.To[..Math.Min(valid.To.Length, Options.PrefixDigits + 1)];
        var prefixHash = crypto.PrefixIndex(prefix);
        var code = NewCode(valid.CodeLength);
        var record = new VerificationRecord(
            valid.Request.TenantId, numberHash, prefixHash, crypto.Encrypt(NumberPurpose, VerificationId, valid.To), E164.Mask(valid.To),
            valid.Channel, valid.Locale, valid.CodeLength, crypto.CodeHash(VerificationId, code), crypto.Encrypt(CodePurpose, VerificationId, code),
            now, now + valid.Ttl, VerificationStatus.Pending, VerificationDelivery.None, Sends: 0, Checks: 0, now, RouteId: null, valid.Ttl);

        // The index row first, admitted under the limits in one locked step (racing starts cannot both
        // take the last place): a verification that exists anywhere counts towards the limits.
        var (admitted, byNumber, byPrefix) = await store.InsertWithinLimitsAsync(
            record, VerificationId, now - TimeSpan.FromHours(1), Options.MaxPerNumberPerHour, Options.MaxPerPrefixPerHour, cancellationToken);
        if (!admitted && byNumber >= Options.MaxPerNumberPerHour)
        {
            VerificationLog.Refused(logger, new MaskedNumber(valid.To), "per-number limit");
            throw new PoolException(PoolErrorCode.Exhausted, $"{E164.Mask(valid.To)} already received {byNumber} verifications in the last hour, the maximum; retry later");
        }

        if (!admitted)
        {
            VerificationLog.Refused(logger, new MaskedNumber(valid.To), "per-prefix limit");
            throw new PoolException(PoolErrorCode.Exhausted, $"numbers sharing the first {Options.PrefixDigits} digits of {E164.Mask(valid.To)} already received {byPrefix} verifications in the last hour, the maximum (toll-fraud guard); retry later");
        }

        await PersistAsync(record, indexed: false);
        ArmTimer(record.ExpiresAt);

        try
        {
            var sent = await SendAsync(record, valid.To, code, cancellationToken);
            VerificationLog.Started(logger, VerificationId, record.TenantId, new MaskedNumber(valid.To), sent.RouteId);
            VerificationMetrics.Started();
            return sent.ToInfo(VerificationId);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.Unavailable)
        {
            await PersistAsync(state.State.Record! with { Status = VerificationStatus.Failed, UpdatedAt = time.GetUtcNow() });
            VerificationLog.NotSent(logger, VerificationId, new MaskedNumber(valid.To));
            VerificationMetrics.Ended(VerificationStatus.Failed);
            throw new PoolException(PoolErrorCode.Unavailable, $"verification {VerificationId} failed: {ex.Message}");
        }
    }

    public async Task<VerificationInfo> GetAsync(string tenantId) => (await CurrentAsync(tenantId)).ToInfo(VerificationId);

    public async Task<VerificationCheck> CheckAsync(string tenantId, string code)
    {
        var record = await CurrentAsync(tenantId);
        if (string.IsNullOrEmpty(code) || code.Length is < 4 or > 10 || !code.All(char.IsAsciiDigit))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "code must be 4-10 digits", "code");
        }

        RequirePending(record, "checked");
        var valid = CryptographicOperations.FixedTimeEquals(crypto.CodeHash(VerificationId, code), record.CodeHash);
        var checks = record.Checks + 1;
        var status = valid ? VerificationStatus.Approved
            : checks >= Options.MaxChecks ? VerificationStatus.MaxAttemptsReached
            : VerificationStatus.Pending;
        var checkedRecord = await PersistAsync(record with { Checks = checks, Status = status, UpdatedAt = time.GetUtcNow() });
        if (status != VerificationStatus.Pending)
        {
            StopTimer();
            VerificationLog.Ended(logger, VerificationId, status);
            VerificationMetrics.Ended(status);
        }

        return new VerificationCheck(valid, checkedRecord.ToInfo(VerificationId));
    }

    public async Task<VerificationInfo> ResendAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var record = await CurrentAsync(tenantId);
        RequirePending(record, "resent");
        if (record.Sends >= Options.MaxSends)
        {
            throw new PoolException(PoolErrorCode.Exhausted, $"verification {VerificationId} was already sent {record.Sends} times, the maximum");
        }

        var to = crypto.Decrypt(NumberPurpose, VerificationId, record.ToEncrypted);
        var code = crypto.Decrypt(CodePurpose, VerificationId, record.CodeEncrypted);
        var sent = await SendAsync(record, to, code, cancellationToken);
        VerificationLog.Resent(logger, VerificationId, new MaskedNumber(to), sent.Sends);
        return sent.ToInfo(VerificationId);
    }

    public async Task<VerificationInfo> CancelAsync(string tenantId)
    {
        var record = await CurrentAsync(tenantId);
        if (record.Status == VerificationStatus.Canceled)
        {
            return record.ToInfo(VerificationId);
        }

        RequirePending(record, "canceled");
        var canceled = await PersistAsync(record with { Status = VerificationStatus.Canceled, UpdatedAt = time.GetUtcNow() });
        StopTimer();
        VerificationLog.Ended(logger, VerificationId, VerificationStatus.Canceled);
        VerificationMetrics.Ended(VerificationStatus.Canceled);
        return canceled.ToInfo(VerificationId);
    }

    public async Task RecordDeliveryAsync(bool delivered)
    {
        var delivery = delivered ? VerificationDelivery.Delivered : VerificationDelivery.Undelivered;
        if (state.State.Record is not { } record || record.Delivery == VerificationDelivery.Delivered || record.Delivery == delivery)
        {
            return; // Delivered is final; a repeat (one receipt can be told twice: the owner sweep retells what it cannot prove was told) changes nothing.
        }

        await PersistAsync(record with { Delivery = delivery, UpdatedAt = time.GetUtcNow() });
    }

    public async Task<VerificationErasure> EraseEndUserAsync(byte[] numberHash)
    {
        ArgumentNullException.ThrowIfNull(numberHash);
        if (state.State.Record is not { } current || !CryptographicOperations.FixedTimeEquals(current.NumberHash, numberHash))
        {
            return VerificationErasure.None;
        }

        var record = await ExpireIfDueAsync(current);
        var pending = record.Status == VerificationStatus.Pending;

        // One write: the cancel and the anonymisation land together, so no state holds a canceled
        // verification that still names its number. The prefix hash stays (it names no one: the
        // toll-fraud guard keeps counting the prefix); the number's hash becomes random, so the index row
        // and this state can no longer be found by the number, nor linked to it.
        await PersistAsync(record with
        {
            NumberHash = RandomNumberGenerator.GetBytes(32),
            ToEncrypted = [],
            ToMasked = ErasedNumber,
            CodeHash = RandomNumberGenerator.GetBytes(32),
            CodeEncrypted = [],
            Status = pending ? VerificationStatus.Canceled : record.Status,
            UpdatedAt = time.GetUtcNow(),
        });
        if (!pending)
        {
            return VerificationErasure.Anonymised;
        }

        StopTimer();
        VerificationLog.Ended(logger, VerificationId, VerificationStatus.Canceled);
        VerificationMetrics.Ended(VerificationStatus.Canceled);
        return VerificationErasure.CanceledAndAnonymised;
    }

    /// <summary>Sends the code through route selection; on success counts the send. Unavailable when no route took it.</summary>
    private async Task<VerificationRecord> SendAsync(VerificationRecord record, string to, string code, CancellationToken cancellationToken)
    {
        var minutes = (int)Math.Ceiling((record.ExpiresAt - time.GetUtcNow()).TotalMinutes);
        var text = VerificationTemplates.Render(record.Locale, code, Math.Max(minutes, 1));
        var sent = await GrainFactory.GetGrain<IRouteSelectorGrain>(0).SendAsync(new OutboundSms(to, text, ReferencePrefix + VerificationId), cancellationToken);
        var delivery = record.Delivery == VerificationDelivery.Delivered ? VerificationDelivery.Delivered : VerificationDelivery.Sent;
        return await PersistAsync(state.State.Record! with { Sends = record.Sends + 1, Delivery = delivery, RouteId = sent.RouteId, UpdatedAt = time.GetUtcNow() });
    }

    private async Task<VerificationRecord> CurrentAsync(string tenantId)
    {
        if (state.State.Record is not { } record || record.TenantId != tenantId)
        {
            throw new PoolException(PoolErrorCode.NotFound, $"verification {VerificationId} not found", "verification_id");
        }

        return await ExpireIfDueAsync(record);
    }

    private async Task<VerificationRecord> ExpireIfDueAsync(VerificationRecord record)
    {
        if (record.Status != VerificationStatus.Pending || record.ExpiresAt > time.GetUtcNow())
        {
            return record;
        }

        var expired = await PersistAsync(record with { Status = VerificationStatus.Expired, UpdatedAt = time.GetUtcNow() });
        StopTimer();
        VerificationLog.Ended(logger, VerificationId, VerificationStatus.Expired);
        VerificationMetrics.Ended(VerificationStatus.Expired);
        return expired;
    }

    private void RequirePending(VerificationRecord record, string action)
    {
        if (record.Status != VerificationStatus.Pending)
        {
            throw new PoolException(PoolErrorCode.FailedPrecondition, $"verification {VerificationId} is {VerificationStore.StatusName(record.Status)}; it can no longer be {action}");
        }
    }

    /// <summary>Persists <paramref name="record"/> (and its index row); on a failed write the previous record stays.</summary>
    private async Task<VerificationRecord> PersistAsync(VerificationRecord record, bool indexed = true)
    {
        var previous = state.State.Record;
        state.State.Record = record;
        try
        {
            await state.WriteOrDeactivateAsync(this, logger);
        }
        catch (PoolException)
        {
            state.State.Record = previous;
            throw;
        }

        if (indexed)
        {
            await store.UpdateAsync(record, VerificationId);
        }

        return record;
    }

    private void ArmTimer(DateTimeOffset expiresAt)
    {
        StopTimer();
        var due = expiresAt - time.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(
            async _ =>
            {
                if (state.State.Record is { } record)
                {
                    await ExpireIfDueAsync(record);
                }
            },
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private void StopTimer()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
    }

    /// <summary>A code of <paramref name="length"/> digits, each drawn from the CSPRNG.</summary>
    private static string NewCode(int length) =>
        string.Create(length, 0, (digits, _) =>
        {
            for (var i = 0; i < digits.Length; i++)
            {
                digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });

    private static ValidRequest Validate(VerificationRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.TenantId))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "a verification belongs to a tenant", "tenant_id");
        }

        if (!E164.TryParse(request.To, out var to, out var error))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"to {Pool.Sms.Logging.LogRedaction.MaskNumbers(error)}", "to");
        }

        var channel = string.IsNullOrWhiteSpace(request.Channel) ? "sms" : request.Channel.Trim().ToLowerInvariant();
        if (channel != "sms")
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"channel '{request.Channel}' is not supported; the only channel is 'sms'", "channel");
        }

        var locale = string.IsNullOrWhiteSpace(request.Locale) ? "en" : request.Locale.Trim();
        if (locale.Length > 35 || !locale.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "locale must be a language tag such as en, zh, pt-BR", "locale");
        }

        var length = request.CodeLength ?? 6;
        if (length is < 4 or > 10)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"code_length {length} is outside 4-10", "code_length");
        }

        var ttl = request.Ttl ?? DefaultTtl;
        if (ttl < MinTtl || ttl > MaxTtl)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"ttl {ttl.ToString("c", CultureInfo.InvariantCulture)} is outside 2 minutes to 24 hours", "ttl");
        }

        return new ValidRequest(request, to, channel, VerificationTemplates.LanguageOf(locale), length, ttl);
    }

    private sealed record ValidRequest(VerificationRequest Request, string To, string Channel, string Locale, int CodeLength, TimeSpan Ttl);
}

internal static partial class VerificationLog
{
    [LoggerMessage(EventId = 13001, Level = LogLevel.Information, Message = "Verification {VerificationId} of tenant {TenantId} sent to {Number} on route {RouteId}")]
    public static partial void Started(ILogger logger, string verificationId, string tenantId, MaskedNumber number, string? routeId);

    [LoggerMessage(EventId = 13002, Level = LogLevel.Warning, Message = "Verification {VerificationId} to {Number} failed: no route took it")]
    public static partial void NotSent(ILogger logger, string verificationId, MaskedNumber number);

    [LoggerMessage(EventId = 13003, Level = LogLevel.Information, Message = "Verification {VerificationId} resent to {Number} (send {Sends})")]
    public static partial void Resent(ILogger logger, string verificationId, MaskedNumber number, int sends);

    [LoggerMessage(EventId = 13004, Level = LogLevel.Information, Message = "Verification {VerificationId} ended: {Status}")]
    public static partial void Ended(ILogger logger, string verificationId, VerificationStatus status);

    [LoggerMessage(EventId = 13005, Level = LogLevel.Warning, Message = "Verification to {Number} refused: {Limit}")]
    public static partial void Refused(ILogger logger, MaskedNumber number, string limit);
}

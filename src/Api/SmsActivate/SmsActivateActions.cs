using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pool.Api.Services;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Contracts.Inventory;
using Pool.Contracts.Leases;
using Pool.Contracts.SmsActivate;
using W = Pool.Api.SmsActivate.SmsActivateWords;

namespace Pool.Api.SmsActivate;

/// <summary>
/// The actions of the sms-activate handler_api protocol on Pool's leases (through <see cref="LeaseOperations"/>,
/// the path pool.v1.Leases takes). Each answers the protocol's own words (<see cref="SmsActivateWords"/>);
/// faults it cannot answer (a transient database fault, a defect) propagate to <see cref="SmsActivateHandler"/>.
/// </summary>
public sealed class SmsActivateActions
{
    /// <summary>The activation time's format in getNumberV2 and getActiveActivations (UTC in Pool).</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Most prefixes in a getNumber phoneException.</summary>
    public const int MaxPhoneExceptions = 20;

    /// <summary>Most activations getActiveActivations lists (the newest).</summary>
    public const int MaxActiveListed = 100;

    /// <summary>Country id getNumber and getNumbersStatus use when the request names none (the protocol's default, Russia).</summary>
    public const int DefaultCountry = 0;

    private readonly LeaseOperations _leases;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _earlyCancelDenial;
    private readonly FrozenDictionary<string, string> _services;
    private readonly FrozenDictionary<int, string> _countries;

    public SmsActivateActions(LeaseOperations leases, IGrainFactory grains, TimeProvider time, IOptions<SmsActivateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_leases, _grains, _time) = (leases, grains, time);
        _earlyCancelDenial = options.Value.EarlyCancelDenial;
        _services = options.Value.ServiceTable();
        _countries = options.Value.CountryTable();
    }

    private IActivationIdGrain Ids => _grains.GetGrain<IActivationIdGrain>(0);

    /// <summary>getBalance, getBalanceAndCashBack: Pool charges nothing, so the balance is always 0.00.</summary>
    public static SmsActivateAnswer GetBalance() => SmsActivateAnswer.Word(W.AccessBalance, "0.00");

    /// <summary>getNumber ("ACCESS_NUMBER:id:digits") and, with <paramref name="v2"/>, getNumberV2 (JSON).</summary>
    public async Task<SmsActivateAnswer> GetNumberAsync(string tenantId, SmsActivateParameters request, bool v2, CancellationToken cancellationToken)
    {
        if (request["service"] is not { } code || !_services.TryGetValue(code, out var service))
        {
            return SmsActivateAnswer.Word(W.BadService);
        }

        if (!TryCountry(request["country"], out var countryId, out var country))
        {
            return SmsActivateAnswer.Word(W.BadCountry);
        }

        if (request["maxPrice"] is { } maxPrice
            && (!decimal.TryParse(maxPrice, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var max) || max < 0))
        {
            // Every activation costs 0.00: any price of 0 or more is enough; one that is not a price is answered with that minimum.
            return SmsActivateAnswer.Word(W.WrongMaxPrice, "0.00");
        }

        if (!TryPhoneExceptions(request["phoneException"], out var excluded))
        {
            return SmsActivateAnswer.Word(W.WrongExceptionPhone);
        }

        LeaseInfo lease;
        try
        {
            lease = await _leases.OpenAsync(new LeaseRequest(tenantId, country, null, service, null) { ExcludePrefixes = excluded }, null, cancellationToken);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.Exhausted)
        {
            return TenantRefusal(ex.Message) ?? SmsActivateAnswer.Word(W.NoNumbers);
        }

        long id;
        try
        {
            id = await Ids.AssignAsync(tenantId, lease.LeaseId).WaitAsync(cancellationToken);
        }
        catch
        {
            // The client gets no id, so it could never end this lease: give the number back now.
            await ReleaseQuietlyAsync(tenantId, lease.LeaseId);
            throw;
        }

        var digits = lease.Number.TrimStart('+');
        if (!v2)
        {
            return SmsActivateAnswer.Word(W.AccessNumber, $"{id.ToString(CultureInfo.InvariantCulture)}:{digits}");
        }

        return SmsActivateAnswer.Json(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("activationId", id);
            json.WriteString("phoneNumber", digits);
            json.WriteNumber("activationCost", 0m);
            json.WriteString("countryCode", countryId.ToString(CultureInfo.InvariantCulture));
            json.WriteBoolean("canGetAnotherSms", true);
            json.WriteString("activationTime", lease.CreatedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteString("activationOperator", "any");
            json.WriteEndObject();
        });
    }

    /// <summary>getStatus: STATUS_WAIT_CODE, STATUS_OK:code, STATUS_WAIT_RETRY:code, STATUS_WAIT_RESEND or STATUS_CANCEL.</summary>
    public async Task<SmsActivateAnswer> GetStatusAsync(string tenantId, SmsActivateParameters request, CancellationToken cancellationToken)
    {
        if (await FindLeaseAsync(tenantId, request["id"], cancellationToken) is not { } lease)
        {
            return SmsActivateAnswer.Word(W.NoActivation);
        }

        var messages = await _leases.ListMessagesAsync(tenantId, lease.LeaseId, cancellationToken);
        return Status(lease, messages);
    }

    /// <summary>setStatus: 1 → ACCESS_READY, 3 → ACCESS_RETRY_GET, 6 → ACCESS_ACTIVATION, 8 → ACCESS_CANCEL.</summary>
    public async Task<SmsActivateAnswer> SetStatusAsync(string tenantId, SmsActivateParameters request, CancellationToken cancellationToken)
    {
        if (!int.TryParse(request["status"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var status) || status is not (1 or 3 or 6 or 8))
        {
            return SmsActivateAnswer.Word(W.BadStatus);
        }

        if (await FindLeaseAsync(tenantId, request["id"], cancellationToken) is not { } lease)
        {
            return SmsActivateAnswer.Word(W.NoActivation);
        }

        try
        {
            switch (status)
            {
                case 1:
                    return SmsActivateAnswer.Word(lease.Status == LeaseStatus.Active ? W.AccessReady : W.BadStatus);
                case 3:
                    await _leases.RequestAnotherSmsAsync(tenantId, lease.LeaseId, cancellationToken);
                    return SmsActivateAnswer.Word(W.AccessRetryGet);
                case 6:
                    await _leases.ReleaseAsync(tenantId, lease.LeaseId, LeaseOutcome.Completed, cancellationToken);
                    return SmsActivateAnswer.Word(W.AccessActivation);
                default:
                    if (lease.Status == LeaseStatus.Active && _time.GetUtcNow() - lease.CreatedAt < _earlyCancelDenial)
                    {
                        return SmsActivateAnswer.Word(W.EarlyCancelDenied);
                    }

                    await _leases.ReleaseAsync(tenantId, lease.LeaseId, LeaseOutcome.Cancelled, cancellationToken);
                    return SmsActivateAnswer.Word(W.AccessCancel);
            }
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.FailedPrecondition)
        {
            // Another SMS before any code, or an end the lease cannot take (it already ended otherwise).
            return SmsActivateAnswer.Word(W.BadStatus);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            return SmsActivateAnswer.Word(W.NoActivation);
        }
    }

    /// <summary>getActiveActivations: the tenant's active leases that have an activation id (JSON), or NO_ACTIVATIONS.</summary>
    public async Task<SmsActivateAnswer> GetActiveActivationsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var active = await _leases.ListAsync(tenantId, activeOnly: true, after: null, MaxActiveListed, cancellationToken);
        var ids = await Ids.FindActivationsAsync(tenantId, [.. active.Select(l => l.LeaseId)]).WaitAsync(cancellationToken);
        var listed = new List<(long Id, LeaseInfo Lease, IReadOnlyList<string> Codes)>();
        foreach (var lease in active)
        {
            if (ids.TryGetValue(lease.LeaseId, out var id))
            {
                var messages = await _leases.ListMessagesAsync(tenantId, lease.LeaseId, cancellationToken);
                listed.Add((id, lease, [.. messages.Where(m => m.Code is not null).Select(m => m.Code!)]));
            }
        }

        if (listed.Count == 0)
        {
            return SmsActivateAnswer.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("status", "error");
                json.WriteString("error", W.NoActivations);
                json.WriteEndObject();
            });
        }

        return SmsActivateAnswer.Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("status", "success");
            json.WriteStartArray("activeActivations");
            foreach (var (id, lease, codes) in listed)
            {
                var countryId = CountryId(lease.Country);
                json.WriteStartObject();
                json.WriteString("activationId", id.ToString(CultureInfo.InvariantCulture));
                json.WriteString("serviceCode", ServiceCode(lease.Service));
                json.WriteString("phoneNumber", lease.Number.TrimStart('+'));
                json.WriteNumber("activationCost", 0m);
                json.WriteString("activationStatus", ActivationStatus(lease, codes.Count > 0));
                json.WriteString("countryCode", countryId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
                json.WriteString("countryName", countryId is { } c && SmsActivateDefaults.Countries.TryGetValue(c, out var known) ? known.Name : lease.Country);
                if (codes.Count == 0)
                {
                    json.WriteNull("smsCode");
                }
                else
                {
                    json.WriteStartArray("smsCode");
                    foreach (var code in codes)
                    {
                        json.WriteStringValue(code);
                    }

                    json.WriteEndArray();
                }

                json.WriteString("activationTime", lease.CreatedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>getCountries: every mapped country id; "visible" is 1 when Pool has a pool of that country.</summary>
    public async Task<SmsActivateAnswer> GetCountriesAsync(CancellationToken cancellationToken)
    {
        var pools = await _grains.GetGrain<IInventoryGrain>(0).ListPoolsAsync(null).WaitAsync(cancellationToken);
        var served = pools.Select(p => p.Country).ToHashSet(StringComparer.Ordinal);
        return SmsActivateAnswer.Json(json =>
        {
            json.WriteStartObject();
            foreach (var (id, iso) in _countries.OrderBy(c => c.Key))
            {
                var name = SmsActivateDefaults.Countries.TryGetValue(id, out var known) && known.Iso == iso ? known.Name : iso;
                json.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
                json.WriteNumber("id", id);
                json.WriteString("rus", name);
                json.WriteString("eng", name);
                json.WriteString("chn", name);
                json.WriteNumber("visible", served.Contains(iso) ? 1 : 0);
                json.WriteNumber("retry", 1);
                json.WriteNumber("rent", 0);
                json.WriteNumber("multiService", 0);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        });
    }

    /// <summary>getServicesList: {"status":"success","services":[{"code","name"}]} for every mapped service code.</summary>
    public SmsActivateAnswer GetServicesList() => SmsActivateAnswer.Json(json =>
    {
        json.WriteStartObject();
        json.WriteString("status", "success");
        json.WriteStartArray("services");
        foreach (var (code, service) in _services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("code", code);
            json.WriteString("name", SmsActivateDefaults.ServiceEntries.TryGetValue(code, out var known) && known.PoolName == service ? known.DisplayName : service);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>
    /// getNumbersStatus: {"tg_0": N, …} for every mapped service code, N the numbers available now in the
    /// country's pools (a number that already served a service may still be refused for it at getNumber).
    /// </summary>
    public async Task<SmsActivateAnswer> GetNumbersStatusAsync(SmsActivateParameters request, CancellationToken cancellationToken)
    {
        if (!TryCountry(request["country"], out _, out var country))
        {
            return SmsActivateAnswer.Word(W.BadCountry);
        }

        var inventory = _grains.GetGrain<IInventoryGrain>(0);
        var available = 0;
        foreach (var pool in await inventory.ListPoolsAsync(country).WaitAsync(cancellationToken))
        {
            available += (await inventory.GetStatsAsync(pool.PoolId).WaitAsync(cancellationToken)).Available;
        }

        return SmsActivateAnswer.Json(json =>
        {
            json.WriteStartObject();
            foreach (var code in _services.Keys.Order(StringComparer.Ordinal))
            {
                json.WriteNumber($"{code}_0", available);
            }

            json.WriteEndObject();
        });
    }

    /// <summary>The getStatus word of a lease and its messages (oldest first).</summary>
    public static SmsActivateAnswer Status(LeaseInfo lease, IReadOnlyList<StoredMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(messages);
        var lastCode = messages.LastOrDefault(m => m.Code is not null)?.Code;
        if (lease.Status == LeaseStatus.Ended)
        {
            return lease.Outcome == LeaseOutcome.Completed && lastCode is not null
                ? SmsActivateAnswer.Word(W.StatusOk, lastCode)
                : SmsActivateAnswer.Word(W.StatusCancel);
        }

        if (lease.Session == SessionState.CodeReceived && lastCode is not null)
        {
            return SmsActivateAnswer.Word(W.StatusOk, lastCode);
        }

        if (lastCode is not null)
        {
            // Another SMS was asked for (setStatus 3): the previous code, while the next one is awaited.
            return SmsActivateAnswer.Word(W.StatusWaitRetry, lastCode);
        }

        // Another SMS was asked for but the previous code is gone (its text passed the retention period).
        return messages.Any(m => m.TextPurged) ? SmsActivateAnswer.Word(W.StatusWaitResend) : SmsActivateAnswer.Word(W.StatusWaitCode);
    }

    /// <summary>"1" waiting for the code, "2" code received, "3" waiting for another SMS.</summary>
    private static string ActivationStatus(LeaseInfo lease, bool hadCode) =>
        lease.Session == SessionState.CodeReceived ? "2" : hadCode ? "3" : "1";

    /// <summary>
    /// The lease an activation id names, if the tenant holds it; null for an id that is not a positive
    /// integer, unknown, another tenant's, or whose lease is gone.
    /// </summary>
    private async Task<LeaseInfo?> FindLeaseAsync(string tenantId, string? id, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var activationId) || activationId < 1)
        {
            return null;
        }

        if (await Ids.FindLeaseAsync(tenantId, activationId).WaitAsync(cancellationToken) is not { } leaseId)
        {
            return null;
        }

        try
        {
            return await _leases.GetAsync(tenantId, leaseId, cancellationToken);
        }
        catch (PoolException ex) when (ex.Code == PoolErrorCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The country id (absent: <see cref="DefaultCountry"/>) and its ISO country, when the table maps it.</summary>
    private bool TryCountry(string? text, out int id, out string iso)
    {
        iso = string.Empty;
        id = DefaultCountry;
        if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) || id > SmsActivateOptions.MaxCountryId))
        {
            return false;
        }

        if (!_countries.TryGetValue(id, out var found))
        {
            return false;
        }

        iso = found;
        return true;
    }

    private int? CountryId(string iso)
    {
        foreach (var (id, country) in _countries.OrderBy(c => c.Key))
        {
            if (country == iso)
            {
                return id;
            }
        }

        return null;
    }

    private string ServiceCode(string service)
    {
        foreach (var (code, name) in _services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (name == service)
            {
                return code;
            }
        }

        return SmsActivateDefaults.OtherService;
    }

    /// <summary>phoneException: prefixes of digits (country code first, no '+'), comma-separated, as E.164 prefixes.</summary>
    private static bool TryPhoneExceptions(string? text, out IReadOnlyList<string> prefixes)
    {
        prefixes = [];
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > MaxPhoneExceptions || parts.Any(p => p.Length is < 1 or > 14 || p.AsSpan().ContainsAnyExceptInRange('0', '9')))
        {
            return false;
        }

        prefixes = [.. parts.Select(p => "+" + p).Distinct(StringComparer.Ordinal)];
        return true;
    }

    /// <summary>
    /// The answer to a tenant admission refusal (the grains word them "tenant '…' …"): the anti-scan
    /// throttle is BANNED:&lt;until, yyyy-MM-dd HH:mm:ss UTC&gt;, the active-lease quota NO_BALANCE;
    /// null for an empty pool (NO_NUMBERS).
    /// </summary>
    private static SmsActivateAnswer? TenantRefusal(string message)
    {
        if (!message.StartsWith("tenant '", StringComparison.Ordinal))
        {
            return null;
        }

        const string Marker = " throttled until ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0 && message.Length >= at + Marker.Length + 20
            && DateTimeOffset.TryParseExact(message.AsSpan(at + Marker.Length, 20), "u", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
        {
            return SmsActivateAnswer.Word(W.Banned, until.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        }

        return SmsActivateAnswer.Word(W.NoBalance);
    }

    private async Task ReleaseQuietlyAsync(string tenantId, string leaseId)
    {
        try
        {
            await _leases.ReleaseAsync(tenantId, leaseId, LeaseOutcome.Cancelled, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The lease's TTL ends it anyway; the caller's own fault is what the client hears about.
        }
    }
}

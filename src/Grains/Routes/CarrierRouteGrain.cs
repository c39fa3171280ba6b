using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Routes;
using Pool.Grains.Audit;
using Pool.Grains.Persistence;
using Pool.Sms.Numbers;

namespace Pool.Grains.Routes;

/// <summary>
/// One carrier route: its definition and override (persisted, state name "route") and its live health
/// (in memory, <see cref="RouteHealth"/>; a new activation starts neutral, as a restarted process knows
/// nothing about the carrier's last minutes). Every outcome of the route's messages is counted here:
/// an in-memory update per message, no write, so a route carries as many messages as its carrier
/// connection does. State changes are logged and counted on the "Pool.Routes" meter.
/// </summary>
public sealed partial class CarrierRouteGrain(
    [PersistentState("route", PoolStorage.Name)] IPersistentState<CarrierRouteState> state,
    RouteStore store,
    RouteCache cache,
    RouteMetrics metrics,
    IOptions<RouteHealthOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<CarrierRouteGrain> logger) : Grain, ICarrierRouteGrain
{
    private readonly RouteHealth _health = new(options.Value, time);
    private RouteState _lastState = RouteState.Healthy;
    private CircuitState _lastCircuit = CircuitState.Closed;

    private string RouteId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Definition is not null)
        {
            metrics.Observe(RouteId, RouteState.Healthy);
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(RouteId);
        return Task.CompletedTask;
    }

    public async Task<RouteInfo> UpsertAsync(RouteDefinition definition)
    {
        var valid = Validate(definition);
        var previous = (state.State.Definition, state.State.UpdatedAt);
        var (before, after) = AuditDiff.Of(previous.Definition, valid);
        state.State.Definition = valid;
        state.State.UpdatedAt = time.GetUtcNow();
        try
        {
            await state.WriteOrDeactivateAsync(this, logger, new AuditRecord(AuditActor.Current, "route.upsert", $"route/{RouteId}", before, after));
        }
        catch (PoolException)
        {
            (state.State.Definition, state.State.UpdatedAt) = previous;
            throw;
        }

        await store.UpsertRouteAsync(valid, state.State.Override, state.State.UpdatedAt);
        RouteLog.Defined(logger, RouteId, valid.Connection, valid.Priority, valid.Enabled);
        metrics.Observe(RouteId, _health.State);
        return Publish();
    }

    public Task<RouteInfo> GetAsync() => Task.FromResult(Info() ?? throw new PoolException(PoolErrorCode.NotFound, $"route '{RouteId}' not found", "route_id"));

    public Task<RouteInfo?> ViewAsync() => Task.FromResult(Info());

    public async Task<RouteInfo> SetOverrideAsync(RouteOverride value)
    {
        var definition = state.State.Definition ?? throw new PoolException(PoolErrorCode.NotFound, $"route '{RouteId}' not found", "route_id");
        var previous = state.State.Override;
        if (previous == value)
        {
            return Publish();
        }

        state.State.Override = value;
        state.State.UpdatedAt = time.GetUtcNow();
        try
        {
            var audit = new AuditRecord(
                AuditActor.Current, "route.override", $"route/{RouteId}",
                AuditRows.Json(new { @override = OverrideName(previous) }), AuditRows.Json(new { @override = OverrideName(value) }));
            await state.WriteOrDeactivateAsync(this, logger, audit);
        }
        catch (PoolException)
        {
            state.State.Override = previous;
            throw;
        }

        if (value == RouteOverride.Disable || previous == RouteOverride.Disable)
        {
            _health.Reset(value == RouteOverride.Disable ? "disabled by an operator" : "put back in service by an operator: no traffic yet");
        }

        await store.UpsertRouteAsync(definition, value, state.State.UpdatedAt);
        RouteLog.Overridden(logger, RouteId, value);
        return Publish();
    }

    private static string OverrideName(RouteOverride value) => value.ToString().ToLowerInvariant();

    public Task<RouteInfo?> RecordSubmitAsync(SubmitOutcome outcome, TimeSpan latency)
    {
        if (state.State.Definition is null)
        {
            return Task.FromResult<RouteInfo?>(null);
        }

        _health.RecordSubmit(outcome, latency);
        return Task.FromResult<RouteInfo?>(Publish());
    }

    public Task<RouteInfo?> RecordReceiptAsync(bool delivered)
    {
        if (state.State.Definition is null)
        {
            return Task.FromResult<RouteInfo?>(null);
        }

        _health.RecordReceipt(delivered);
        return Task.FromResult<RouteInfo?>(Publish());
    }

    public Task<bool> TryAcquireProbeAsync()
    {
        var granted = state.State is { Definition.Enabled: true, Override: RouteOverride.None } && _health.TryAcquireProbe();
        Publish();
        return Task.FromResult(granted);
    }

    /// <summary>The route as it stands, after logging and counting a change of state; also refreshes this silo's cache.</summary>
    private RouteInfo Publish()
    {
        var info = Info()!;
        var health = info.Health;
        if (health.State != _lastState || health.Circuit != _lastCircuit)
        {
            RouteLog.StateChanged(logger, RouteId, _lastState, _lastCircuit, health.State, health.Circuit, health.Score, health.Reason);
            if (health.State != _lastState)
            {
                metrics.Transition(RouteId, health.State);
            }

            _lastState = health.State;
            _lastCircuit = health.Circuit;
        }

        cache.Put(RouteId, info);
        return info;
    }

    private RouteInfo? Info() =>
        state.State.Definition is { } definition
            ? new RouteInfo(definition, state.State.Override, _health.Snapshot(), state.State.UpdatedAt)
            : null;

    private RouteDefinition Validate(RouteDefinition definition)
    {
        if (definition.RouteId != RouteId)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"route id '{definition.RouteId}' does not match the route '{RouteId}' it is written to", "route_id");
        }

        if (!RouteIdPattern().IsMatch(RouteId))
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"route id '{RouteId}' must be 1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", "route_id");
        }

        var connection = definition.Connection?.Trim() ?? "";
        if (connection.Length is 0 or > 128)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "the carrier connection name must be 1-128 characters", "connection");
        }

        var countries = new List<string>();
        foreach (var input in definition.Countries ?? [])
        {
            if (!Country.TryNormalize(input, out var country, out var error))
            {
                throw new PoolException(PoolErrorCode.InvalidArgument, $"country {error}", "countries");
            }

            countries.Add(country);
        }

        var prefixes = (definition.Prefixes ?? []).Select(p => p.Trim()).ToList();
        if (prefixes.FirstOrDefault(p => !PrefixPattern().IsMatch(p)) is { } bad)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"prefix '{bad}' must be '+' and 1-15 digits (an E.164 prefix)", "prefixes");
        }

        if (countries.Count == 0 && prefixes.Count == 0)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "a route serves at least one country or one E.164 prefix", "countries");
        }

        if (definition.Cost < 0)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "cost must not be negative", "cost");
        }

        if (definition.Priority is < 0 or > 1000)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, "priority must be between 0 and 1000 (lower is preferred)", "priority");
        }

        return definition with { Connection = connection, Countries = countries.Distinct().ToList(), Prefixes = prefixes.Distinct().ToList() };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    internal static partial Regex RouteIdPattern();

    [GeneratedRegex(@"^\+[0-9]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();
}

/// <summary>The persisted route (state name "route", unique in the solution); health is not persisted.</summary>
[GenerateSerializer, Alias("pool.CarrierRouteState")]
public sealed class CarrierRouteState
{
    [Id(0)]
    public RouteDefinition? Definition { get; set; }

    [Id(1)]
    public RouteOverride Override { get; set; }

    [Id(2)]
    public DateTimeOffset UpdatedAt { get; set; }
}

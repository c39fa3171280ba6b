namespace Pool.Contracts.Routes;

/// <summary>
/// One carrier route (key: the route id). Its definition and override are persisted; its health lives
/// in memory (a new activation starts neutral) and is fed by every submit result and receipt.
/// </summary>
[Alias("pool.ICarrierRouteGrain")]
public interface ICarrierRouteGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the definition (its RouteId must be this grain's key). InvalidArgument names the field at fault.</summary>
    [Alias("Upsert")]
    Task<RouteInfo> UpsertAsync(RouteDefinition definition);

    /// <summary>The route; NotFound when it is not defined.</summary>
    [Alias("Get")]
    Task<RouteInfo> GetAsync();

    /// <summary>The route, or null when it is not defined (for caches, which must not throw).</summary>
    [Alias("View")]
    Task<RouteInfo?> ViewAsync();

    /// <summary>Sets the operator's override; NotFound when the route is not defined.</summary>
    [Alias("SetOverride")]
    Task<RouteInfo> SetOverrideAsync(RouteOverride value);

    /// <summary>Counts a submit result; returns the route as it now stands (null when not defined).</summary>
    [Alias("RecordSubmit")]
    Task<RouteInfo?> RecordSubmitAsync(SubmitOutcome outcome, TimeSpan latency);

    /// <summary>Counts a delivery receipt; returns the route as it now stands (null when not defined).</summary>
    [Alias("RecordReceipt")]
    Task<RouteInfo?> RecordReceiptAsync(bool delivered);

    /// <summary>Takes a probe place of a half-open circuit; false when there is none.</summary>
    [Alias("TryAcquireProbe")]
    Task<bool> TryAcquireProbeAsync();
}

/// <summary>A country's route table (key: ISO 3166-1 alpha-2 code, upper case). Persisted.</summary>
[Alias("pool.IRouteTableGrain")]
public interface IRouteTableGrain : IGrainWithStringKey
{
    /// <summary>Replaces both lists. InvalidArgument (field "primary" or "secondary") for an unknown or repeated route, or an empty primary list.</summary>
    [Alias("Set")]
    Task<RouteTable> SetAsync(IReadOnlyList<string> primary, IReadOnlyList<string> secondary);

    /// <summary>The table; an empty one when none was set.</summary>
    [Alias("Get")]
    Task<RouteTable> GetAsync();
}

/// <summary>
/// Picks a route for each outbound message and submits it (a stateless worker: key 0, served on the
/// caller's silo, many at once).
/// </summary>
[Alias("pool.IRouteSelectorGrain")]
public interface IRouteSelectorGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Chooses a route for <see cref="OutboundSms.To"/>, submits, and on a failed submit tries the next
    /// usable route (up to the configured attempts). Unavailable when no route is usable or every
    /// attempt failed; InvalidArgument (field "to") for a number that is not E.164.
    /// </summary>
    [Alias("Send")]
    Task<OutboundSent> SendAsync(OutboundSms sms, CancellationToken cancellationToken = default);

    /// <summary>The decision a message to <paramref name="destination"/> would get now, without sending or taking a probe place.</summary>
    [Alias("Explain")]
    Task<RouteDecision> ExplainAsync(string destination);
}

/// <summary>Routes and tables for operators (a stateless worker over the route projections: key 0).</summary>
[Alias("pool.IRouteDirectoryGrain")]
public interface IRouteDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Every defined route with its live health, by route id.</summary>
    [Alias("ListRoutes")]
    Task<IReadOnlyList<RouteInfo>> ListRoutesAsync();

    /// <summary>Every country's route table, by country.</summary>
    [Alias("ListTables")]
    Task<IReadOnlyList<RouteTable>> ListTablesAsync();
}

/// <summary>
/// Where carrier connections hand status reports (a stateless worker: key 0). Every report is stored
/// before the call returns, so a carrier connection acknowledges a report only once it is durable; it is
/// matched to the newest message submitted on the same connection with that carrier message id within
/// the matching window (an SMSC that restarts its id counter reuses ids), or kept pending until its
/// submit is recorded.
/// </summary>
[Alias("pool.IOutboundReceiptGrain")]
public interface IOutboundReceiptGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores the report and, when it matches a submitted message, applies it once: a final report
    /// settles the message, counts in its route's health and tells the message's owner (a verification)
    /// its delivery status. Throws <c>PoolException(Unavailable)</c> when the report could not be stored.
    /// </summary>
    [Alias("RecordReport")]
    Task<StatusReportOutcome> RecordAsync(StatusReport report);
}

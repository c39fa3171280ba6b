namespace Pool.Contracts.Routes;

/// <summary>
/// A carrier route as an operator defines it: the carrier connection it submits through, where it can
/// deliver (ISO countries and/or E.164 prefixes; a destination must match both lists where both are
/// given), its cost per message and its priority (lower is preferred).
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.RouteDefinition")]
public sealed record RouteDefinition(
    [property: Id(0)] string RouteId,
    [property: Id(1)] string Connection,
    [property: Id(2)] IReadOnlyList<string> Countries,
    [property: Id(3)] IReadOnlyList<string> Prefixes,
    [property: Id(4)] decimal Cost,
    [property: Id(5)] int Priority,
    [property: Id(6)] bool Enabled = true)
{
    /// <summary>Whether this route can carry a message to <paramref name="e164"/> in <paramref name="country"/>.</summary>
    public bool Serves(string e164, string country) =>
        (Countries.Count == 0 || Countries.Contains(country, StringComparer.Ordinal))
        && (Prefixes.Count == 0 || Prefixes.Any(prefix => e164.StartsWith(prefix, StringComparison.Ordinal)));
}

/// <summary>An operator's override of a route, whatever its health says.</summary>
[GenerateSerializer, Alias("pool.RouteOverride")]
public enum RouteOverride
{
    None = 0,

    /// <summary>No new messages; receipts of messages already sent still count.</summary>
    Drain = 1,

    /// <summary>Out of service; its live health is forgotten, so it starts neutral when put back.</summary>
    Disable = 2,
}

/// <summary>A route: its definition, the operator's override and its live health.</summary>
[GenerateSerializer, Immutable, Alias("pool.RouteInfo")]
public sealed record RouteInfo(
    [property: Id(0)] RouteDefinition Definition,
    [property: Id(1)] RouteOverride Override,
    [property: Id(2)] RouteHealthSnapshot Health,
    [property: Id(3)] DateTimeOffset UpdatedAt);

/// <summary>Which list of a country's route table a route came from.</summary>
[GenerateSerializer, Alias("pool.RouteList")]
public enum RouteList
{
    Primary = 0,
    Secondary = 1,
}

/// <summary>
/// A country's route table: a message takes the best usable route of <see cref="Primary"/>, otherwise
/// of <see cref="Secondary"/>. An empty table (no primary route) routes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("pool.RouteTable")]
public sealed record RouteTable(
    [property: Id(0)] string Country,
    [property: Id(1)] IReadOnlyList<string> Primary,
    [property: Id(2)] IReadOnlyList<string> Secondary,
    [property: Id(3)] DateTimeOffset? UpdatedAt)
{
    public static RouteTable Empty(string country) => new(country, [], [], null);
}

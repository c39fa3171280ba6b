using Pool.V1;
using Spectre.Console;
using PoolMessage = Pool.V1.Pool;

namespace Pool.Cli.Commands;

/// <summary>Prints pools, their policy and their stats.</summary>
internal static class PoolOutput
{
    private const string NeverReused = "never";

    public static void Pool(CliContext context, PoolMessage pool) => Output.Print(context, pool, table => Fill(table, pool));

    /// <summary>For scripts one object, {"pool": Pool, "stats": PoolStats}; for people one table.</summary>
    public static void PoolWithStats(CliContext context, PoolMessage pool, PoolStats stats)
    {
        if (context.Json)
        {
            context.Output.WriteLine($"{{\"pool\":{Output.Json(pool)},\"stats\":{Output.Json(stats)}}}");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        Fill(table, pool);
        table.AddRow("available", Output.Count(stats.Available));
        table.AddRow("leased", Output.Count(stats.Leased));
        table.AddRow("cooling", Output.Count(stats.Cooling));
        table.AddRow("watchlisted", Output.Count(stats.Watchlisted));
        table.AddRow("retired", Output.Count(stats.Retired));
        table.AddRow("total", Output.Count(stats.Total));
        context.Console.Write(table);
    }

    public static void List(CliContext context, IReadOnlyCollection<PoolMessage> pools) => Output.Rows(
        context,
        pools,
        "no pools",
        ["pool", "country", "carrier", "region", "default ttl", "max lease", "cooldown", "max uses", "reuse window"],
        pool =>
        [
            pool.Pool_,
            pool.Country,
            pool.Carrier,
            pool.Region,
            Output.Span(pool.Policy?.DefaultTtl),
            Output.Span(pool.Policy?.MaxLeaseTime),
            Output.Span(pool.Policy?.Cooldown),
            pool.Policy is { HasMaxUses: true } ? Output.Count(pool.Policy.MaxUses) : "",
            Output.Span(pool.Policy?.ReuseWindow, NeverReused),
        ]);

    private static void Fill(Table table, PoolMessage pool)
    {
        table.AddRow("pool", Markup.Escape(pool.Pool_));
        table.AddRow("country", pool.Country);
        table.AddRow("carrier", Markup.Escape(pool.Carrier));
        table.AddRow("region", Markup.Escape(pool.Region));
        table.AddRow("created", Output.Time(pool.CreateTime));
        var policy = pool.Policy ?? new PoolPolicy();
        table.AddRow("default ttl", Output.Span(policy.DefaultTtl));
        table.AddRow("max lease", Output.Span(policy.MaxLeaseTime));
        table.AddRow("cooldown", Output.Span(policy.Cooldown));
        table.AddRow("max uses", Optional(policy.HasMaxUses, policy.MaxUses));
        table.AddRow("reuse window", Output.Span(policy.ReuseWindow, NeverReused));
        table.AddRow("silent lease limit", Optional(policy.HasSilentLeaseLimit, policy.SilentLeaseLimit));
        table.AddRow("bad number limit", Optional(policy.HasBadNumberLimit, policy.BadNumberLimit));
        table.AddRow("flood per hour", Optional(policy.HasFloodMessagesPerHour, policy.FloodMessagesPerHour));
        table.AddRow("quarantine", Output.Span(policy.Quarantine));
        table.AddRow("max offences", Optional(policy.HasMaxOffences, policy.MaxOffences));
        table.AddRow("slide on message", policy.HasSlideOnMessage ? (policy.SlideOnMessage ? "yes" : "no") : "");
        table.AddRow("message retention", Output.Span(policy.MessageRetention));
    }

    private static string Optional(bool has, int value) => has ? Output.Count(value) : "";
}

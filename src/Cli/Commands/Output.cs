using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>Prints API results: a table for people, proto3 JSON (one object per line) for scripts.</summary>
internal static class Output
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Json(IMessage message) => s_json.Format(message);

    public static void Print(CliContext context, IMessage message, Action<Table> fill)
    {
        if (context.Json)
        {
            context.Output.WriteLine(s_json.Format(message));
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        fill(table);
        context.Console.Write(table);
    }

    /// <summary>A list: one row per item for people, one JSON object per line for scripts.</summary>
    public static void Rows<T>(CliContext context, IReadOnlyCollection<T> items, string empty, string[] columns, Func<T, string[]> row)
        where T : IMessage
    {
        if (context.Json)
        {
            foreach (var item in items)
            {
                context.Output.WriteLine(s_json.Format(item));
            }

            return;
        }

        if (items.Count == 0)
        {
            context.Console.WriteLine(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }

        foreach (var item in items)
        {
            table.AddRow([.. row(item).Select(Markup.Escape)]);
        }

        context.Console.Write(table);
    }

    public static void Lease(CliContext context, Lease lease) => Print(context, lease, table =>
    {
        table.AddRow("lease", Markup.Escape(lease.LeaseId));
        table.AddRow("number", Markup.Escape(lease.Number));
        table.AddRow("country", lease.Country);
        table.AddRow("pool", Markup.Escape(lease.Pool));
        table.AddRow("service", Markup.Escape(lease.Service));
        table.AddRow("state", Name(lease.State));
        if (lease.Outcome != LeaseOutcome.Unspecified)
        {
            table.AddRow("outcome", Name(lease.Outcome));
        }

        table.AddRow("created", Time(lease.CreateTime));
        table.AddRow("expires", Time(lease.ExpireTime));
        if (lease.EndTime is not null)
        {
            table.AddRow("ended", Time(lease.EndTime));
        }
    });

    public static void Number(CliContext context, Number number) => Print(context, number, table =>
    {
        table.AddRow("number", Markup.Escape(number.Number_));
        table.AddRow("pool", Markup.Escape(number.Pool));
        table.AddRow("country", number.Country);
        table.AddRow("state", Name(number.State));
        if (number.LeaseId.Length > 0)
        {
            table.AddRow("lease", Markup.Escape(number.LeaseId));
        }

        if (number.Until is not null)
        {
            table.AddRow("until", Time(number.Until));
        }

        if (number.Reason.Length > 0)
        {
            table.AddRow("reason", Markup.Escape(number.Reason));
        }

        table.AddRow("uses", Count(number.Uses));
        table.AddRow("offences", Count(number.Offences));
        var served = number.ServedServices
            .OrderBy(service => service.Key, StringComparer.Ordinal)
            .Select(service => $"{Markup.Escape(service.Key)} (last {Time(service.Value)})");
        table.AddRow("served services", number.ServedServices.Count == 0 ? "none" : string.Join('\n', served));
    });

    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Span(Duration? duration, string unset = "") =>
        duration is null ? unset : Durations.Format(duration.ToTimeSpan());

    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>LeaseOutcome.BadNumber → "bad_number", NumberState.Watchlisted → "watchlisted": the API's enum value names.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, System.Enum
    {
        var name = value.ToString();
        return string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }
}

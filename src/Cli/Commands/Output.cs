using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;
using Spectre.Console;

namespace Pool.Cli.Commands;

/// <summary>Prints API results: a table for people, proto3 JSON (one object per line) for scripts.</summary>
internal static class Output
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

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

    public static void Lease(CliContext context, Lease lease) => Print(context, lease, table =>
    {
        table.AddRow("lease", Markup.Escape(lease.LeaseId));
        table.AddRow("number", Markup.Escape(lease.Number));
        table.AddRow("country", lease.Country);
        table.AddRow("pool", Markup.Escape(lease.Pool));
        table.AddRow("service", Markup.Escape(lease.Service));
        table.AddRow("state", Name(lease.State.ToString()));
        if (lease.Outcome != LeaseOutcome.Unspecified)
        {
            table.AddRow("outcome", Name(lease.Outcome.ToString()));
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
        table.AddRow("state", Name(number.State.ToString()));
        if (number.LeaseId.Length > 0)
        {
            table.AddRow("lease", Markup.Escape(number.LeaseId));
        }

        table.AddRow("uses", number.Uses.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    private static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"BadNumber" → "bad_number", the way the API documents its enum values.</summary>
    private static string Name(string enumName) =>
        string.Concat(enumName.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

using Npgsql;
using Pool.Contracts.Routes;
using Pool.Grains.Routes;

namespace Pool.Grains.Tests.Routes;

/// <summary>
/// A status report finds its submitted part whatever form it writes the id in (SMSCs answer submit_sm in
/// hex and write receipts in decimal, pad, change case), in the database itself: before the submit is
/// recorded, and after a restart when no silo remembers the id.
/// </summary>
public sealed class ReportIdFormTests(RoutesClusterFixture fixture) : IClassFixture<RoutesClusterFixture>, IDisposable
{
    private static readonly ReportWindows s_windows = new(TimeSpan.FromHours(72), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1));
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);

    private OutboundStore Store => new(_dataSource);

    public void Dispose() => _dataSource.Dispose();

    private static StatusReport Receipt(string connection, string id, DateTimeOffset at) =>
        new(connection, id, StatusReportKind.DeliveryReceipt, "DELIVRD", Final: true, Delivered: true, null, at);

    [Fact]
    public async Task A_decimal_receipt_that_overtakes_a_hex_submit_settles_it_when_the_submit_is_recorded()
    {
        var now = DateTimeOffset.UtcNow;

        var report = await Store.RecordReportAsync(Receipt("forms-a", "65538", now), s_windows, now);
        var settlements = await Store.RecordSentAsync("forms-a", ["0000010002"], "forms-route", "test:forms-a", now.AddSeconds(1), s_windows);

        Assert.Equal(StatusReportOutcome.Pending, report.Outcome);
        var settled = Assert.Single(settlements);
        Assert.True(settled.Delivered);
    }

    [Fact]
    public async Task A_receipt_in_another_form_settles_a_submit_recorded_before_with_no_silo_remembering_it()
    {
        var now = DateTimeOffset.UtcNow;
        await Store.RecordSentAsync("forms-b", ["1a2b3c"], "forms-route", "test:forms-b", now, s_windows);

        var decimalForm = await Store.RecordReportAsync(Receipt("forms-b", "1715004", now.AddSeconds(2)), s_windows, now.AddSeconds(2));

        Assert.Equal(StatusReportOutcome.Recorded, decimalForm.Outcome);
        Assert.NotNull(decimalForm.Settlement);
    }

    [Fact]
    public async Task Reports_that_name_no_message_are_each_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var unknown = new StatusReport("forms-c", "", StatusReportKind.DeliveryReceipt, "UNKNOWN", Final: false, Delivered: false, "the report names no message id", now);

        var first = await Store.RecordReportAsync(unknown, s_windows, now);
        var second = await Store.RecordReportAsync(unknown with { Error = "another text" }, s_windows, now);
        var abort = await Store.RecordReportAsync(unknown with { Kind = StatusReportKind.ConversationAbort }, s_windows, now);

        Assert.Equal([StatusReportOutcome.Pending, StatusReportOutcome.Pending, StatusReportOutcome.Pending], new[] { first.Outcome, second.Outcome, abort.Outcome });
        Assert.Equal(3, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM status_reports WHERE connection = 'forms-c'"));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM status_reports WHERE connection = 'forms-c' AND kind = 'conversation_abort'"));
    }
}

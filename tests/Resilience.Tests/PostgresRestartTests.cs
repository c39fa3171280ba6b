using Grpc.Core;
using Xunit.Abstractions;

namespace Pool.Resilience.Tests;

/// <summary>The cluster's PostgreSQL is stopped for about five seconds under load and started again.</summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task While_PostgreSQL_is_down_clients_get_only_UNAVAILABLE_and_the_cluster_recovers_by_itself_losing_nothing_acknowledged()
    {
        await using var run = await ResilienceRun.StartAsync(output, "postgres-restart");
        var promises = new Promises(run);
        var from = DateTimeOffset.UtcNow;
        run.Load.Start();
        await run.Load.WaitForLeasesAsync(30, TimeSpan.FromSeconds(40), "before the outage");

        var stoppingAt = DateTimeOffset.UtcNow;
        await run.Postgres.StopAsync();
        // The fault itself: the server stays down this long, whatever the load does.
        await Task.Delay(s_outage);
        var startingAt = DateTimeOffset.UtcNow;
        await run.Postgres.StartAgainAsync();
        var startedAt = DateTimeOffset.UtcNow;
        run.Say($"PostgreSQL stopped at +{(stoppingAt - from).TotalSeconds:0.0} s, down {(startingAt - stoppingAt).TotalSeconds:0.0} s, accepting again {(startedAt - startingAt).TotalSeconds:0.0} s later");
        var recovery = await run.Load.WaitForLeasesAsync(30, TimeSpan.FromSeconds(60), "after PostgreSQL came back, with no operator action");
        await run.Load.StopAsync();
        var until = DateTimeOffset.UtcNow;

        run.ReportCalls(from, until);
        var attempts = run.Client.Attempts.Where(a => a.Operation is "CreateLease" or "ReleaseLease").ToList();
        var firstLeaseAfter = attempts.Where(a => a.Operation == "CreateLease" && a.Code == StatusCode.OK && a.EndedAt >= startedAt).Select(a => a.EndedAt).DefaultIfEmpty(until).Min();
        var outage = attempts.Where(a => a.EndedAt >= stoppingAt && a.EndedAt <= firstLeaseAfter && a.Code != StatusCode.OK).ToList();
        run.Say($"first lease acknowledged {(firstLeaseAfter - startedAt).TotalSeconds:0.00} s after PostgreSQL accepted connections again; 30 more leases took {recovery.TotalSeconds:0.0} s; " +
            $"longest time with no successful lease call around the outage: {ResilienceRun.LongestGap(attempts, stoppingAt, firstLeaseAfter).TotalSeconds:0.00} s");

        promises.Check(
            outage.All(a => a.Code == StatusCode.Unavailable),
            "while PostgreSQL is down and until the first lease after it, every failed try is UNAVAILABLE (retry)",
            $"failed tries in that window: {ResilienceRun.Describe(outage.Select(a => a.Code))}");
        var wrong = run.Client.Attempts.Where(a => a.Code is StatusCode.Internal or StatusCode.ResourceExhausted).ToList();
        promises.Check(wrong.Count == 0, "no call of the run is answered INTERNAL or RESOURCE_EXHAUSTED", $"{ResilienceRun.Describe(wrong.Select(a => $"{a.Operation} {a.Code}"))}");
        var refused = run.Sender.Sent.Where(s => !s.Accepted && s.Outcome is not null).ToList();
        promises.Check(refused.Count == 0, "the carrier endpoint answers only 2xx or 503 (send again) during the outage", $"refused otherwise: {ResilienceRun.Describe(refused.Select(s => s.Outcome!))}");
        await promises.CheckAfterLoadAsync(Promises.TimerBound);
        promises.AssertAllKept();
    }
}

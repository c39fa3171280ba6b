using Xunit.Abstractions;

namespace Pool.Resilience.Tests;

/// <summary>Every silo in turn is stopped gracefully (SIGTERM) under load and started again.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rolling_restart_of_every_silo_costs_a_retrying_client_no_failed_request()
    {
        await using var run = await ResilienceRun.StartAsync(output, "rolling-restart");
        var promises = new Promises(run);
        var from = DateTimeOffset.UtcNow;
        run.Load.Start();
        await run.Load.WaitForLeasesAsync(20, TimeSpan.FromSeconds(40), "before the first restart");

        foreach (var member in run.Cluster.Members)
        {
            var stopped = await member.StopAsync();
            var restart = System.Diagnostics.Stopwatch.StartNew();
            await member.StartAsync();
            run.Say($"silo {member.Index}: stopped by SIGTERM in {stopped.TotalSeconds:0.00} s, restarted and ready in {restart.Elapsed.TotalSeconds:0.0} s");
            await run.Load.WaitForLeasesAsync(10, TimeSpan.FromSeconds(40), $"after silo {member.Index} restarted");
        }

        await run.Load.StopAsync();
        run.ReportCalls(from, DateTimeOffset.UtcNow);
        var cycles = run.Load.Cycles.ToList();
        var failed = cycles.Count(c => c.CreateFailure is not null) + cycles.Count(c => c.ReleaseFailure is not null);
        var smsFailed = run.Sender.Sent.Count(s => !s.Accepted);
        promises.Check(failed == 0 && smsFailed == 0, "a rolling restart costs a retrying client no failed request", $"lease calls failed after retries: {failed}; SMS never accepted: {smsFailed}");
        await promises.CheckAfterLoadAsync(Promises.SweepBound);
        promises.AssertAllKept();
    }
}

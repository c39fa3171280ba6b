using Pool.Testing;
using Xunit.Abstractions;

namespace Pool.Resilience.Tests;

/// <summary>A silo of three is killed (SIGKILL) under load and started again.</summary>
public sealed class SiloCrashTests(ITestOutputHelper output)
{
    /// <summary>The tuned membership declares a killed silo dead well within what the defaults took (5.5–8.4 s).</summary>
    private static readonly TimeSpan s_detectionBound = TimeSpan.FromSeconds(8);

    /// <summary>Leases the client walks away from: spread over the silos, some have their grain on the one killed.</summary>
    private const int Abandoned = 9;

    [Fact]
    public async Task A_killed_silo_loses_no_acknowledged_lease_or_message_and_leaves_every_number_in_circulation()
    {
        await using var run = await ResilienceRun.StartAsync(output, "silo-crash");
        var promises = new Promises(run);
        var from = DateTimeOffset.UtcNow;
        await run.StartLoadAsync(Abandoned);
        await run.Load.WaitForLeasesAsync(30, TimeSpan.FromSeconds(40), "before the kill");

        var victim = run.Cluster.Members[1];
        var generation = await run.Tables.SiloGenerationAsync(run.Database.Name, victim.SiloPort);
        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();
        await Eventually.ReturnsAsync(
            () => run.Tables.SiloStatusAsync(run.Database.Name, victim.SiloPort, generation - 1),
            status => status == 6,
            TimeSpan.FromSeconds(60),
            "the killed silo to be declared dead in the membership table");
        var detection = DateTimeOffset.UtcNow - killedAt;
        var restart = System.Diagnostics.Stopwatch.StartNew();
        await victim.StartAsync();
        run.Say($"silo {victim.Index} killed; declared dead after {detection.TotalSeconds:0.00} s; restarted and ready in {restart.Elapsed.TotalSeconds:0.0} s");
        var recovery = await run.Load.WaitForLeasesAsync(30, TimeSpan.FromSeconds(60), "after the restart");
        await run.Load.StopAsync();
        var until = DateTimeOffset.UtcNow;

        run.ReportCalls(from, until);
        var window = run.Client.Attempts.Where(a => a.EndedAt >= killedAt && a.EndedAt <= killedAt + detection).ToList();
        run.Say($"tries while the dead silo was not yet declared dead: {window.Count}, failed: {ResilienceRun.Describe(window.Where(a => a.Code != Grpc.Core.StatusCode.OK).Select(a => a.Code))}; 30 leases after the restart took {recovery.TotalSeconds:0.0} s");
        promises.Check(detection <= s_detectionBound, $"a killed silo is declared dead within {s_detectionBound.TotalSeconds:0} s", $"{detection.TotalSeconds:0.00} s");
        await promises.CheckAfterLoadAsync(Promises.SweepBound);
        promises.AssertAllKept();
    }
}

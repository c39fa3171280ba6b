using System.Globalization;
using Grpc.Core;
using Pool.V1;

namespace Pool.Resilience.Tests;

/// <summary>
/// The promises every scenario checks once its load has stopped. Each is evaluated and reported with
/// its figures (PASS or FAIL), and the test fails at the end with every broken promise, so one broken
/// promise never hides another.
/// </summary>
public sealed class Promises(ResilienceRun run)
{
    /// <summary>Lease rows of one number may overlap by this much: a lease's start is taken before its number is allocated.</summary>
    public static readonly TimeSpan TableOverlapTolerance = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the tables may take to show what the grains know (they are written behind the grains).</summary>
    public static readonly TimeSpan ConvergenceBound = TimeSpan.FromSeconds(15);

    /// <summary>How late a lease whose grain stayed alive may be ended by its timer on a loaded machine.</summary>
    public static readonly TimeSpan TimerBound = TimeSpan.FromSeconds(5);

    /// <summary>How late the sweep (a reminder every minute) may end a lease whose grain died, on a loaded machine.</summary>
    public static readonly TimeSpan SweepBound = TimeSpan.FromSeconds(65);

    private readonly List<string> _broken = [];

    public IReadOnlyList<string> Broken => _broken;

    /// <summary>Records one promise: PASS or FAIL with the figures that show it.</summary>
    public void Check(bool kept, string promise, string figures)
    {
        run.Say($"{(kept ? "PASS" : "FAIL")}: {promise} — {figures}");
        if (!kept)
        {
            _broken.Add($"{promise} — {figures}");
        }
    }

    /// <summary>Fails the test with every broken promise.</summary>
    public void AssertAllKept() =>
        Assert.True(_broken.Count == 0, $"{_broken.Count} promise(s) broken:\n  " + string.Join("\n  ", _broken));

    /// <summary>
    /// Settles what the load left open, then checks every common promise (a–d of the suite). When the load
    /// abandoned leases, first waits for their expiry and checks that each fired no later than
    /// <paramref name="expiryLateness"/> after its deadline.
    /// </summary>
    public async Task CheckAfterLoadAsync(TimeSpan expiryLateness)
    {
        var unsettled = await run.Load.SettleAsync();
        Check(unsettled == 0, "every call that failed after retries succeeds when the client asks again later with the same key", $"{unsettled} still failing");
        var cycles = run.Load.Cycles.Where(c => c.AcknowledgedAt is not null).ToList();
        var abandoned = run.Load.Abandoned.Where(c => c.AcknowledgedAt is not null).ToList();
        if (run.Load.Abandoned.Count > 0)
        {
            await CheckExpiriesAsync(abandoned, expiryLateness);
        }

        CheckLogHasNoDoubleLease([.. cycles, .. abandoned]);
        await CheckLeasesAsync(cycles);
        await CheckInboundAsync();
        await CheckCirculationAsync();
    }

    /// <summary>From the load's own log: no two leases of one number were held by the client at the same time.</summary>
    private void CheckLogHasNoDoubleLease(List<LeaseCycle> cycles)
    {
        var clashes = new List<string>();
        foreach (var byNumber in cycles.GroupBy(c => c.Number!, StringComparer.Ordinal))
        {
            var held = byNumber.OrderBy(c => c.AcknowledgedAt).ToList();
            for (var i = 0; i < held.Count; i++)
            {
                for (var j = i + 1; j < held.Count; j++)
                {
                    // Certainly held from the acknowledgement until the release was asked for (an abandoned lease: its deadline).
                    if (held[j].AcknowledgedAt < held[i].HeldUntil && held[i].AcknowledgedAt < held[j].HeldUntil)
                    {
                        clashes.Add($"{held[i].LeaseId} and {held[j].LeaseId} on …{byNumber.Key[^4..]}");
                    }
                }
            }
        }

        Check(clashes.Count == 0, "no number was in two live leases (the load's log)", $"{cycles.Count} acknowledged leases on {cycles.Select(c => c.Number).Distinct().Count()} numbers; clashes: {clashes.Count} {string.Join("; ", clashes.Take(5))}");
    }

    /// <summary>Every acknowledged lease as the grains say (ended, completed) and as the leases table says (the same, within a bound); no overlap in the table.</summary>
    private async Task CheckLeasesAsync(List<LeaseCycle> cycles)
    {
        var wrong = new List<string>();
        foreach (var cycle in cycles)
        {
            try
            {
                var lease = await run.Client.GetLeaseAsync(cycle.LeaseId!);
                if (lease.Number != cycle.Number || lease.State != LeaseState.Ended || lease.Outcome != LeaseOutcome.Completed)
                {
                    wrong.Add($"{cycle.LeaseId}: {lease.State} {lease.Outcome}");
                }
            }
            catch (RpcException ex)
            {
                wrong.Add($"{cycle.LeaseId}: {ex.StatusCode}");
            }
        }

        Check(wrong.Count == 0, "every acknowledged lease is found, on its number, ended as completed (GetLease)", $"{cycles.Count} checked, wrong: {wrong.Count} {string.Join("; ", wrong.Take(5))}");

        var (rows, behind, waited) = await TableConvergenceAsync(cycles);
        Check(behind.Count == 0, $"the leases table shows every acknowledged lease ended on its number within {ConvergenceBound.TotalSeconds:0} s", $"{rows.Count} rows; not shown ended after {waited.TotalSeconds:0.0} s: {behind.Count} {string.Join("; ", behind.Take(5))}");

        var clashes = new List<string>();
        var worst = TimeSpan.Zero;
        foreach (var byNumber in rows.GroupBy(r => r.Number, StringComparer.Ordinal))
        {
            var ordered = byNumber.OrderBy(r => r.CreatedAt).ToList();
            foreach (var (earlier, later) in ordered.Zip(ordered.Skip(1)))
            {
                var overlap = (earlier.EndedAt ?? DateTimeOffset.MaxValue) - later.CreatedAt;
                worst = overlap > worst ? overlap : worst;
                if (overlap > TableOverlapTolerance)
                {
                    clashes.Add($"{earlier.LeaseId} ({earlier.Status}) and {later.LeaseId} on …{byNumber.Key[^4..]}");
                }
            }
        }

        Check(clashes.Count == 0, "no number was in two live leases (the leases table)", $"largest overlap {Show(worst)} (tolerated {TableOverlapTolerance.TotalMilliseconds:0} ms); clashes: {clashes.Count} {string.Join("; ", clashes.Take(5))}");
    }

    private async Task<(List<LeaseRow> Rows, List<string> Behind, TimeSpan Waited)> TableConvergenceAsync(List<LeaseCycle> cycles)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var rows = await run.Tables.LeasesAsync(run.PoolName);
            var byId = rows.ToDictionary(r => r.LeaseId, StringComparer.Ordinal);
            var behind = cycles
                .Where(c => !byId.TryGetValue(c.LeaseId!, out var row) || row.Number != c.Number || row.Status != "ended")
                .Select(c => byId.TryGetValue(c.LeaseId!, out var row) ? $"{c.LeaseId}: {row.Status}" : $"{c.LeaseId}: no row")
                .ToList();
            var waited = DateTimeOffset.UtcNow - started;
            if (behind.Count == 0 || waited >= ConvergenceBound)
            {
                return (rows, behind, waited);
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Every abandoned lease fell due and was ended as expired — in the leases table and by GetLease — no
    /// later than <paramref name="bound"/> after its deadline. Lateness is the table's ended_at minus its
    /// expires_at. Only the table is polled while waiting: a GetLease before the end would wake the lease's
    /// grain and end it on that call, hiding whether the timer or the sweep would have.
    /// </summary>
    private async Task CheckExpiriesAsync(List<LeaseCycle> abandoned, TimeSpan bound)
    {
        var taken = run.Load.Abandoned.Count;
        Check(abandoned.Count == taken, "every abandoned lease was acknowledged", $"{abandoned.Count} of {taken}; failed: {ResilienceRun.Describe(run.Load.Abandoned.Where(c => c.CreateFailure is not null).Select(c => c.CreateFailure!.Value))}");
        if (abandoned.Count == 0)
        {
            return;
        }

        // The table is written behind the grains: give it the convergence bound on top of the lateness bound.
        var lastDeadline = abandoned.Max(c => c.ExpiresAt!.Value);
        var giveUpAt = lastDeadline + bound + ConvergenceBound;
        var ids = abandoned.Select(c => c.LeaseId!).ToHashSet(StringComparer.Ordinal);
        var waitFrom = DateTimeOffset.UtcNow;
        Dictionary<string, LeaseRow> rows;
        while (true)
        {
            rows = (await run.Tables.LeasesAsync(run.PoolName)).Where(r => ids.Contains(r.LeaseId)).ToDictionary(r => r.LeaseId, StringComparer.Ordinal);
            if ((rows.Count == ids.Count && rows.Values.All(r => r.Status == "ended")) || DateTimeOffset.UtcNow >= giveUpAt)
            {
                break;
            }

            await Task.Delay(500);
        }

        var lastEnded = DateTimeOffset.UtcNow;
        run.Say($"abandoned leases: {abandoned.Count} with a {LeaseLoad.AbandonedTtl.TotalSeconds:0} s TTL, deadlines +{(abandoned.Min(c => c.ExpiresAt!.Value) - run.LoadStarted).TotalSeconds:0.0}…+{(lastDeadline - run.LoadStarted).TotalSeconds:0.0} s after the load started; " +
            $"waited {(lastEnded - waitFrom).TotalSeconds:0.0} s after the load for the table to show them ended");

        var wrong = new List<string>();
        var lateness = new List<TimeSpan>();
        foreach (var cycle in abandoned)
        {
            if (!rows.TryGetValue(cycle.LeaseId!, out var row) || row.Status != "ended" || row.Outcome != "expired" || row.EndedAt is null || row.Number != cycle.Number)
            {
                wrong.Add($"{cycle.LeaseId}: table {(row is null ? "no row" : $"{row.Status} {row.Outcome}")}");
                continue;
            }

            lateness.Add(row.EndedAt.Value - row.ExpiresAt);
            try
            {
                var lease = await run.Client.GetLeaseAsync(cycle.LeaseId!);
                var grainEnd = lease.EndTime?.ToDateTimeOffset();
                if (lease.State != LeaseState.Ended || lease.Outcome != LeaseOutcome.Expired || grainEnd is null || (grainEnd.Value - row.EndedAt.Value).Duration() > TimeSpan.FromSeconds(1))
                {
                    wrong.Add($"{cycle.LeaseId}: GetLease {lease.State} {lease.Outcome} ended {grainEnd:O}, table ended {row.EndedAt:O}");
                }
            }
            catch (RpcException ex)
            {
                wrong.Add($"{cycle.LeaseId}: GetLease {ex.StatusCode}");
            }
        }

        lateness.Sort();
        var median = lateness.Count == 0 ? TimeSpan.Zero : lateness[lateness.Count / 2];
        var max = lateness.Count == 0 ? TimeSpan.Zero : lateness[^1];
        var prompt = lateness.Count(l => l <= TimerBound);
        Check(
            wrong.Count == 0 && lateness.Count == abandoned.Count && max <= bound,
            $"every abandoned lease is ended as expired (the leases table and GetLease agree) no later than {bound.TotalSeconds:0} s after its deadline",
            string.Create(CultureInfo.InvariantCulture, $"{lateness.Count} of {abandoned.Count} expired; lateness (ended_at − deadline) median {median.TotalSeconds:0.00} s, max {max.TotalSeconds:0.00} s; ") +
            $"within {TimerBound.TotalSeconds:0} s (a live grain's timer): {prompt}, later (the sweep, its grain having died or moved): {lateness.Count - prompt}; wrong: {wrong.Count} {string.Join("; ", wrong.Take(5))}");
    }

    /// <summary>Every SMS the carrier saw accepted is stored exactly once, and on its lease when Pool said delivered.</summary>
    private async Task CheckInboundAsync()
    {
        var sent = run.Sender.Sent.ToList();
        var stored = await run.Tables.MessagesAsync(ResilienceRun.Carrier);
        var lost = sent.Where(s => s.Accepted && !stored.ContainsKey(s.MessageId)).Select(s => s.MessageId).ToList();
        var twice = stored.Where(s => s.Value.Rows > 1).Select(s => s.Key).ToList();
        var misrouted = sent.Where(s => s.Outcome == "delivered" && stored.TryGetValue(s.MessageId, out var row) && row.LeaseId != s.LeaseId).Select(s => s.MessageId).ToList();
        Check(
            lost.Count == 0 && twice.Count == 0 && misrouted.Count == 0,
            "every accepted inbound SMS is stored exactly once, on its lease when delivered",
            $"{sent.Count(s => s.Accepted)} accepted, {stored.Count} stored; lost {lost.Count}, stored twice {twice.Count}, on another lease {misrouted.Count} {string.Join("; ", lost.Concat(twice).Concat(misrouted).Take(5))}");
    }

    /// <summary>
    /// Every number is back in circulation: the numbers table agrees with each number's grain, none is
    /// leased, and the whole pool can be leased at once (then it is released again).
    /// </summary>
    private async Task CheckCirculationAsync()
    {
        // Cooldown and reuse window are one second: after two, every number is free to serve again.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (table, grains, disagree, waited) = await NumberConvergenceAsync();
        Check(
            disagree.Count == 0,
            $"the numbers table agrees with every number's grain within {ConvergenceBound.TotalSeconds:0} s",
            $"table {ResilienceRun.Describe(table.Values)}; grains {ResilienceRun.Describe(grains.Values)}; disagree after {waited.TotalSeconds:0.0} s: {disagree.Count} {string.Join("; ", disagree.Take(5))}");
        Check(
            grains.Values.All(s => s == "available") && grains.Count == run.Numbers.Count,
            "no number is left leased or out of circulation once every lease ended (the grains)",
            $"grains {ResilienceRun.Describe(grains.Values)} of {run.Numbers.Count}");

        var leased = new List<Lease>();
        var refused = new List<string>();
        for (var i = 0; i < run.Numbers.Count; i++)
        {
            try
            {
                leased.Add(await run.Client.CreateLeaseAsync(
                    new CreateLeaseRequest { Country = "HK", Pool = run.PoolName, Service = "telegram", IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"drain-{i}") },
                    i));
            }
            catch (RpcException ex)
            {
                refused.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                break;
            }
        }

        var distinct = leased.Select(l => l.Number).Distinct(StringComparer.Ordinal).Count();
        var missing = new List<string>();
        foreach (var number in run.Numbers.Except(leased.Select(l => l.Number), StringComparer.Ordinal))
        {
            missing.Add($"…{number[^4..]} (grain: {GrainState(await run.Client.GetNumberAsync(number))}, table: {(await run.Tables.NumberStatesAsync(run.PoolName)).GetValueOrDefault(number, "no row")})");
        }

        Check(
            refused.Count == 0 && distinct == run.Numbers.Count,
            "leasing the whole pool succeeds: every number is back in circulation",
            $"{leased.Count} of {run.Numbers.Count} leased ({distinct} distinct numbers){(refused.Count > 0 ? "; then refused: " + refused[0] : "")}" +
            (missing.Count > 0 ? $"; never offered: {string.Join(", ", missing)}" : ""));
        foreach (var (lease, i) in leased.Select((lease, i) => (lease, i)))
        {
            await run.Client.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Completed, IdempotencyKey = $"{lease.LeaseId}-drain-release" }, i);
        }
    }

    private async Task<(Dictionary<string, string> Table, Dictionary<string, string> Grains, List<string> Disagree, TimeSpan Waited)> NumberConvergenceAsync()
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var grains = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var number in run.Numbers)
            {
                grains[number] = GrainState(await run.Client.GetNumberAsync(number));
            }

            var table = await run.Tables.NumberStatesAsync(run.PoolName);
            var disagree = run.Numbers
                .Where(n => !table.TryGetValue(n, out var state) || state != grains[n])
                .Select(n => $"…{n[^4..]}: table {(table.TryGetValue(n, out var state) ? state : "no row")}, grain {grains[n]}")
                .ToList();
            var waited = DateTimeOffset.UtcNow - started;
            if (disagree.Count == 0 || waited >= ConvergenceBound)
            {
                return (table, grains, disagree, waited);
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>The grain's state in the table's words, a cooldown or quarantine that has passed read as available.</summary>
    private static string GrainState(Number number) => number.State switch
    {
        NumberState.Cooling or NumberState.Watchlisted when number.Until is { } until && until.ToDateTimeOffset() <= DateTimeOffset.UtcNow => "available",
        var state => state.ToString().ToLowerInvariant(),
    };

    private static string Show(TimeSpan value) =>
        value == TimeSpan.Zero ? "none" : value > TimeSpan.FromDays(1) ? "open-ended" : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms");
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Bench.Inbound;
using Pool.Bench.Measurement;
using Pool.Testing;
using Pool.V1;

namespace Pool.Bench;

/// <summary>
/// Inbound SMS to the tenant's stream through the real Pool: a fresh database, the Pool host in this
/// process with one HTTP carrier, one tenant holding <c>--inbound-leases</c> leases with one
/// WatchAllMessages stream open (and, unless turned off, one webhook endpoint on loopback); then
/// senders post signed SMS to the carrier endpoint at a steady rate, each timed from just before its
/// POST to its arrival on the stream (and at the webhook endpoint), matched by the code it carries.
/// </summary>
internal static partial class InboundBenchmark
{
    public const string Carrier = "bench";
    public const string PoolName = "bench-inbound";
    public const string Tenant = "bench-inbound";
    public const string Service = "bench";

    /// <summary>How long the stream and the webhook get, after the last POST, to deliver what is still on its way.</summary>
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    /// <summary>One inbound measurement at <paramref name="rate"/> SMS/s (0: at capacity, each sender posting again as soon as it is answered).</summary>
    public static async Task<InboundResult> RunAsync(BenchSettings settings, int rate, TextWriter progress, CancellationToken cancellationToken)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var database = await TestDatabase.CreateAsync();
        var starting = Stopwatch.GetTimestamp();
        await using var pool = await PoolProcess.StartAsync(
            database, database.Name, settings: new Dictionary<string, string?> { [CarrierMessages.SecretSetting(Carrier)] = secret });
        var startup = Stopwatch.GetElapsedTime(starting);
        using var grpc = GrpcChannel.ForAddress(pool.GrpcAddress);
        var admin = Authorized.With(grpc, pool.AdminKey);

        var numbers = await LeaseNumbersAsync(grpc, admin, settings.InboundLeases, cancellationToken);
        var tenant = numbers.Tenant;
        var total = (int)Math.Min(CarrierMessages.MaxMessages, Math.Min(settings.MaxOperations, 2L * settings.InboundMessages + 100_000));
        var stream = new Arrivals(settings.InboundMessages);
        await using var webhook = settings.InboundWebhook ? await WebhookArrivals.StartAsync(new Arrivals(settings.InboundMessages)) : null;
        if (webhook is not null)
        {
            await new Webhooks.WebhooksClient(tenant).CreateWebhookEndpointAsync(
                new CreateWebhookEndpointRequest { Url = webhook.Url, Description = "pool-bench" }, cancellationToken: cancellationToken);
        }

        await progress.WriteLineAsync(
            $"inbound: silo ready in {startup.TotalSeconds:0.0} s; {numbers.Leased.Length} leases, one WatchAllMessages stream{(webhook is null ? "" : ", one webhook endpoint")}; " +
            $"{settings.InboundMessages:N0} messages at {Rate(rate)}, {settings.InboundSenders} senders, after a {settings.Warmup.TotalSeconds:0.#} s warm-up");

        using var sql = new SqlTimings(Label);
        var writesBefore = await LeaseCycleBenchmark.StorageWritesAsync(database);
        var logLinesBefore = pool.Logs.Lines.Count;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = new Leases.LeasesClient(tenant).WatchAllMessages(new WatchAllMessagesRequest(), cancellationToken: watching.Token);
        var reading = Task.Run(() => ReadStreamAsync(call, stream, watching.Token), CancellationToken.None);

        var carrier = new CarrierMessages(Carrier, secret);
        using var http = pool.CreateHttpClient();
        var clock = new RunClock(settings.Warmup, settings.InboundDuration);
        var plan = new SendPlan(clock, rate, settings.InboundMessages, total);
        var recording = Task.Run(async () =>
        {
            await Task.Delay(settings.Warmup, cancellationToken);
            sql.Recording = true;
        }, cancellationToken);
        var senders = await Task.WhenAll(Enumerable.Range(0, settings.InboundSenders).Select(_ =>
            Task.Run(() => SendAsync(http, carrier, numbers.Leased, plan, stream, webhook?.Arrivals, cancellationToken), cancellationToken)));
        await recording;
        var sendingStopped = senders.Max(s => s.StoppedAt);

        var missingOnStream = await stream.DrainAsync(s_drain, cancellationToken);
        var missingAtWebhook = webhook is null ? 0 : await webhook.Arrivals.DrainAsync(s_drain, cancellationToken);
        sql.Recording = false;
        await watching.CancelAsync();
        var lastCursor = await reading;
        var writesAfter = await LeaseCycleBenchmark.StorageWritesAsync(database);

        var measured = senders.Sum(s => s.Accept.Count);
        var sendWindow = RunClock.ToSeconds(sendingStopped - clock.MeasureFrom);
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (error, count) in senders.SelectMany(s => s.Errors))
        {
            errors[error] = errors.GetValueOrDefault(error) + count;
        }

        var sent = senders.Sum(s => s.Sent);
        var writes = writesAfter.ToDictionary(w => w.Key, w => w.Value - writesBefore.GetValueOrDefault(w.Key), StringComparer.Ordinal);
        var siloProblems = pool.Logs.Lines.Skip(logLinesBefore).Where(LeaseCycleBenchmark.IsWarningOrWorse).ToList();
        var result = new InboundResult(
            numbers.Leased.Length,
            settings.InboundSenders,
            rate,
            webhook is not null,
            startup.TotalSeconds,
            measured,
            sendWindow,
            sendWindow > 0 ? measured / sendWindow : 0,
            Latency.Of(senders.Select(s => s.Accept)),
            Latency.Of(senders.Select(s => s.Lag)),
            Path(stream, clock, missingOnStream),
            webhook is null ? null : Path(webhook.Arrivals, clock, missingAtWebhook),
            lastCursor,
            sent,
            errors,
            writes,
            sent == 0 ? 0 : writes.Values.Sum() / (double)sent,
            sql.Results(),
            siloProblems.Count,
            [.. siloProblems.Take(5).Select(line => line.Length > 300 ? line[..300] + "…" : line)],
            plan.StoppedByCap);
        await WakeCancelledStreamAsync(http, carrier, numbers.Leased[0], cancellationToken);
        return result;
    }

    public static string Rate(int rate) => rate == 0 ? "no set rate (as fast as the senders go)" : $"{rate:N0}/s";

    private static DeliveryPath Path(Arrivals arrivals, RunClock clock, int missing)
    {
        var latency = arrivals.Latency();
        var window = RunClock.ToSeconds(arrivals.LastMeasuredArrival - clock.MeasureFrom);
        return new DeliveryPath(latency, window > 0 ? latency.Count / window : 0, arrivals.Arrived, missing, arrivals.Unexpected);
    }

    /// <summary>A tenant of its own with a key, and one lease on each number of a pool of <paramref name="count"/> numbers.</summary>
    private static async Task<(CallInvoker Tenant, string[] Leased)> LeaseNumbersAsync(
        GrpcChannel grpc, CallInvoker admin, int count, CancellationToken cancellationToken)
    {
        // Every number gets many messages within the hour: lift the flood rule, or the numbers would be watchlisted mid-run.
        await new Pools.PoolsClient(admin).CreatePoolAsync(
            new CreatePoolRequest { Pool = PoolName, Country = LeaseCycleBenchmark.Country, Policy = new PoolPolicy { FloodMessagesPerHour = 100_000 } },
            cancellationToken: cancellationToken);
        var added = await new Numbers.NumbersClient(admin).AddNumbersAsync(
            new AddNumbersRequest { Pool = PoolName, Country = LeaseCycleBenchmark.Country, Numbers = { HongKongNumbers.Take(count) } },
            cancellationToken: cancellationToken);
        if (added.Added != count)
        {
            throw new InvalidOperationException($"AddNumbers added {added.Added} of {count} numbers");
        }

        var tenants = new Tenants.TenantsClient(admin);
        await tenants.CreateTenantAsync(new CreateTenantRequest { Tenant = Tenant, Name = "pool-bench inbound" }, cancellationToken: cancellationToken);
        await tenants.UpdateTenantLimitsAsync(
            new UpdateTenantLimitsRequest { Tenant = Tenant, Limits = new TenantLimits { RequestsPerSecond = 100_000, MaxActiveLeases = Math.Max(100, count) } },
            cancellationToken: cancellationToken);
        var key = await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = Tenant, Label = "pool-bench" }, cancellationToken: cancellationToken);
        var tenant = Authorized.With(grpc, key.Secret);
        var leases = new Leases.LeasesClient(tenant);
        var leased = new string[count];
        for (var i = 0; i < count; i++)
        {
            var lease = await leases.CreateLeaseAsync(
                new CreateLeaseRequest { Country = LeaseCycleBenchmark.Country, Pool = PoolName, Service = Service, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)) },
                deadline: DateTime.UtcNow + s_callTimeout,
                cancellationToken: cancellationToken);
            leased[i] = lease.Number;
        }

        return (tenant, leased);
    }

    /// <summary>
    /// Posts one more message, unmeasured, after the stream was cancelled: the stream's long poll in the
    /// tenant's inbox grain takes the call's cancellation, and a message ends any wait still pending, so
    /// the silo stops at once whatever the cancellation's timing.
    /// </summary>
    private static async Task WakeCancelledStreamAsync(HttpClient http, CarrierMessages carrier, string number, CancellationToken cancellationToken)
    {
        using var request = carrier.Request(CarrierMessages.MaxMessages - 1, number);
        using var response = await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Reads the tenant's stream until cancelled, noting each message's arrival; returns the last cursor seen.</summary>
    private static async Task<long> ReadStreamAsync(AsyncServerStreamingCall<Message> call, Arrivals arrivals, CancellationToken cancellationToken)
    {
        long cursor = 0;
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var at = RunClock.Now;
                var message = call.ResponseStream.Current;
                cursor = message.Cursor;
                arrivals.Arrive(message.Code, at);
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return cursor;
    }

    private static async Task<Sender> SendAsync(
        HttpClient http, CarrierMessages carrier, string[] numbers, SendPlan plan, Arrivals stream, Arrivals? webhook, CancellationToken cancellationToken)
    {
        var sender = new Sender(plan.MeasuredLimit);
        while (plan.TryTake(out var n, out var due))
        {
            if (due > RunClock.Now)
            {
                await Task.Delay(TimeSpan.FromSeconds(RunClock.ToSeconds(due - RunClock.Now)), cancellationToken);
            }

            using var request = carrier.Request(n, numbers[n % numbers.Length]);
            var started = RunClock.Now;
            if (!plan.TryStart(started, out var measured))
            {
                break;
            }

            var code = CarrierMessages.CodeOf(n);
            stream.Expect(code, started, measured);
            webhook?.Expect(code, started, measured);
            sender.Sent++;
            var error = await CarrierMessages.SendAsync(http, request, cancellationToken);
            var answered = RunClock.Now;
            sender.StoppedAt = answered;
            if (error is not null)
            {
                stream.Forget(code);
                webhook?.Forget(code);
                sender.Errors[error] = sender.Errors.GetValueOrDefault(error) + 1;
            }
            else if (measured)
            {
                sender.Accept.Add(answered - started);
                sender.Lag.Add(due == 0 ? 0 : Math.Max(0, started - due));
            }
        }

        return sender;
    }

    /// <summary>
    /// The inbound path's commands by name: "path n" for those a message waits for, in order, before the
    /// carrier is answered and the stream woken; the rest by what they serve, or by their first words.
    /// </summary>
    private static string Label(string sql) => sql switch
    {
        _ when sql.StartsWith("SELECT message_id, routed FROM messages", StringComparison.Ordinal) => "path 0: look for a stored copy (SELECT, no commit)",
        _ when sql.Contains("INSERT INTO messages", StringComparison.Ordinal) => "path 1: store the message attached to its lease (INSERT messages)",
        _ when sql.StartsWith("UPDATE messages SET lease_id", StringComparison.Ordinal) => "recovery: attach a stored message to its lease (UPDATE messages)",
        _ when sql.Contains("INSERT INTO grain_state", StringComparison.Ordinal) => "path 2: grain state writes (lease; group-committed)",
        _ when sql.Contains("tenant_seq = $4", StringComparison.Ordinal) => "path 3: tenant inbox append + webhook outbox rows (a batch per statement)",
        _ when sql.Contains("FROM messages WHERE tenant_id = $1 AND tenant_seq > $2", StringComparison.Ordinal) => "stream: read the messages after the cursor",
        _ when sql.Contains("FOR UPDATE OF d SKIP LOCKED", StringComparison.Ordinal) => "webhook: claim due deliveries",
        _ when sql.Contains("SET status = 'delivered'", StringComparison.Ordinal) => "webhook: record the delivery",
        _ when sql.StartsWith("INSERT INTO leases", StringComparison.Ordinal) => "behind: leases projection (batched)",
        _ when sql.StartsWith("UPDATE numbers n SET status", StringComparison.Ordinal) => "behind: numbers projection (batched)",
        _ when sql.StartsWith("SELECT k.slot, s.payload, s.version", StringComparison.Ordinal) => "grain state reads (group-read)",
        _ => Shorten(sql),
    };

    private static string Shorten(string sql)
    {
        var flat = Whitespace().Replace(sql, " ").Trim();
        return flat.Length > 60 ? flat[..60] + "…" : flat;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Which message each sender posts next, and when: message n is due at start + n / rate (at once
    /// with no rate). Sending stops at the measured-message count, the total cap, or the end of the clock.
    /// </summary>
    private sealed class SendPlan(RunClock clock, int rate, int measuredLimit, int totalLimit)
    {
        private readonly long _interval = rate == 0 ? 0 : Stopwatch.Frequency / rate;
        private int _next = -1;
        private int _measured;
        private int _stoppedByCap;

        public int MeasuredLimit => measuredLimit;

        public bool StoppedByCap => Volatile.Read(ref _stoppedByCap) == 1;

        public bool TryTake(out int n, out long due)
        {
            n = Interlocked.Increment(ref _next);
            due = _interval == 0 ? 0 : clock.Start + (n * _interval);
            if (n >= totalLimit)
            {
                Volatile.Write(ref _stoppedByCap, 1);
                return false;
            }

            return Volatile.Read(ref _measured) < measuredLimit && (due == 0 || clock.IsRunning(due));
        }

        /// <summary>Whether the message may go at <paramref name="now"/>, and whether it is measured.</summary>
        public bool TryStart(long now, out bool measured)
        {
            measured = clock.IsMeasured(now);
            if (!clock.IsRunning(now))
            {
                return false;
            }

            return !measured || Interlocked.Increment(ref _measured) <= measuredLimit;
        }
    }

    private sealed class Sender(int capacity)
    {
        public LatencySamples Accept { get; } = new(capacity);

        /// <summary>How late each measured POST started against its due time (0 with no set rate).</summary>
        public LatencySamples Lag { get; } = new(capacity);

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long Sent { get; set; }

        public long StoppedAt { get; set; }
    }
}

/// <summary>Messages as one path delivered them: latency from just before the POST, rate, and what went missing.</summary>
internal sealed record DeliveryPath(Latency Latency, double MessagesPerSecond, long ArrivedIncludingWarmup, int Missing, long Unexpected);

internal sealed record InboundResult(
    int Leases,
    int Senders,
    int TargetRate,
    bool Webhook,
    double SiloStartupSeconds,
    long Messages,
    double MeasuredSeconds,
    double MessagesPerSecond,
    Latency CarrierAccept,
    Latency SendLag,
    DeliveryPath Stream,
    DeliveryPath? WebhookDelivery,
    long LastCursor,
    long MessagesIncludingWarmup,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyDictionary<string, long> StorageWritesByState,
    double StorageWritesPerMessage,
    IReadOnlyList<SqlCommandTiming> PostgresCommands,
    int SiloWarnings,
    IReadOnlyList<string> SiloWarningSamples,
    bool StoppedByOperationCap)
{
    /// <summary>How the PostgreSQL commands a message waits for are labelled ("path 1: …").</summary>
    public const string PathPrefix = "path ";

    public long ErrorCount => Errors.Values.Sum();
}

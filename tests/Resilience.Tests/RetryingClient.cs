using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Pool.Testing;
using Pool.V1;

namespace Pool.Resilience.Tests;

/// <summary>One try of one call: when it ended, how, and at which silo.</summary>
public sealed record CallAttempt(DateTimeOffset EndedAt, string Operation, StatusCode Code, int Attempt, int Endpoint);

/// <summary>
/// A pool.v1 client that follows README's retry contract: UNAVAILABLE is retried with exponential
/// backoff and jitter (at least the RetryInfo delay when the answer carries one), with the same request
/// and so the same idempotency key, at the next API address; any other status is the answer. Every
/// try is logged. Bounded: at most <see cref="MaxAttempts"/> tries within <see cref="Budget"/>.
/// </summary>
public sealed class RetryingClient : IDisposable
{
    public const int MaxAttempts = 12;
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_attemptDeadline = TimeSpan.FromSeconds(10);

    private readonly List<GrpcChannel> _channels;
    private readonly List<CallInvoker> _invokers;
    private readonly ConcurrentQueue<CallAttempt> _attempts = new();

    public RetryingClient(IEnumerable<Uri> addresses, string apiKey)
    {
        _channels = [.. addresses.Select(address => GrpcChannel.ForAddress(address))];
        _invokers = [.. _channels.Select(channel => Authorized.With(channel, apiKey))];
    }

    public IReadOnlyCollection<CallAttempt> Attempts => _attempts;

    public Task<Lease> CreateLeaseAsync(CreateLeaseRequest request, int affinity) =>
        CallAsync("CreateLease", affinity, (invoker, options) => new Leases.LeasesClient(invoker).CreateLeaseAsync(request, options).ResponseAsync);

    public Task<Lease> ReleaseLeaseAsync(ReleaseLeaseRequest request, int affinity) =>
        CallAsync("ReleaseLease", affinity, (invoker, options) => new Leases.LeasesClient(invoker).ReleaseLeaseAsync(request, options).ResponseAsync);

    public Task<Lease> GetLeaseAsync(string leaseId, int affinity = 0) =>
        CallAsync("GetLease", affinity, (invoker, options) => new Leases.LeasesClient(invoker).GetLeaseAsync(new GetLeaseRequest { LeaseId = leaseId }, options).ResponseAsync);

    public Task<Number> GetNumberAsync(string number, int affinity = 0) =>
        CallAsync("GetNumber", affinity, (invoker, options) => new Numbers.NumbersClient(invoker).GetNumberAsync(new GetNumberRequest { Number = number }, options).ResponseAsync);

    /// <summary>Operator set-up calls, with the same retries.</summary>
    public Task<T> AdminAsync<T>(string operation, Func<CallInvoker, CallOptions, Task<T>> call) => CallAsync(operation, 0, call);

    /// <summary>
    /// Runs <paramref name="call"/> until it answers anything but UNAVAILABLE, or the tries or the time run
    /// out (then the last UNAVAILABLE is thrown). Starts at the address chosen by <paramref name="affinity"/>.
    /// </summary>
    public async Task<T> CallAsync<T>(string operation, int affinity, Func<CallInvoker, CallOptions, Task<T>> call)
    {
        var started = Stopwatch.StartNew();
        var backoff = s_firstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = (affinity + attempt - 1) % _invokers.Count;
            try
            {
                var result = await call(_invokers[endpoint], new CallOptions(deadline: DateTime.UtcNow + s_attemptDeadline));
                _attempts.Enqueue(new CallAttempt(DateTimeOffset.UtcNow, operation, StatusCode.OK, attempt, endpoint));
                return result;
            }
            catch (RpcException ex)
            {
                _attempts.Enqueue(new CallAttempt(DateTimeOffset.UtcNow, operation, ex.StatusCode, attempt, endpoint));
                if (ex.StatusCode != StatusCode.Unavailable || attempt >= MaxAttempts || started.Elapsed >= Budget)
                {
                    throw;
                }

                var wait = Jittered(backoff);
                if (ex.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan() is { } asked && asked > wait)
                {
                    wait = asked < s_maxBackoff ? asked : s_maxBackoff;
                }

                await Task.Delay(wait);
                backoff = backoff * 2 < s_maxBackoff ? backoff * 2 : s_maxBackoff;
            }
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    /// <summary>Between half and all of <paramref name="backoff"/>, so retrying clients do not march in step.</summary>
    private static TimeSpan Jittered(TimeSpan backoff) => backoff * (0.5 + (Random.Shared.NextDouble() / 2));
}

using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Pool.V1;

namespace Pool.Client;

/// <summary>
/// The Pool API (pool.v1) in one object: one channel to <see cref="PoolClientOptions.Address"/>, the API key on every call,
/// retries of UNAVAILABLE (see <see cref="PoolRetryOptions"/>), and one typed client per pool.v1 service. Thread-safe; build
/// one per process and address and share it. Failed calls throw <see cref="RpcException"/> with Pool's status code and
/// detail (<c>ex.GetRpcStatus()</c> gives the google.rpc details: BadRequest field violations, RetryInfo, …).
/// </summary>
public sealed class PoolClient : IDisposable
{
    private readonly HttpMessageHandler? _ownHandler;

    /// <summary>Builds the channel and the clients. No connection is made until the first call.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it (never the key).</exception>
    public PoolClient(PoolClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = Validated(options);
        var retry = options.Retry;
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = options.MaxReceiveMessageSize };
        if (options.ApiKey is { } key)
        {
            channelOptions.Credentials = ApiKeyCredentials.For(address, key);
            // Over http:// the key travels in cleartext, as Pool's own plaintext port expects (TLS ends at a proxy or it is loopback).
            channelOptions.UnsafeUseInsecureChannelCallCredentials = true;
        }

        HttpMessageHandler handler = options.HttpHandler ?? (_ownHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        if (retry.Enabled)
        {
            channelOptions.MaxRetryAttempts = retry.MaxAttempts;
            channelOptions.ServiceConfig = new ServiceConfig { MethodConfigs = { RetryConfig(retry) } };
            if (retry.HonorRetryInfo)
            {
                handler = new RetryInfoPushback(retry.MaxBackoff) { InnerHandler = handler };
                _ownHandler = options.HttpHandler is null ? handler : null;
            }
        }

        channelOptions.HttpHandler = handler;
        options.ConfigureChannel?.Invoke(channelOptions);
        Channel = GrpcChannel.ForAddress(address, channelOptions);
        Options = options;
        CallInvoker = retry.Enabled ? Channel.Intercept(new IdempotencyKeys()) : Channel.CreateCallInvoker();
        Audit = new V1.Audit.AuditClient(CallInvoker);
        CarrierIntake = new V1.CarrierIntake.CarrierIntakeClient(CallInvoker);
        Leases = new V1.Leases.LeasesClient(CallInvoker);
        Numbers = new V1.Numbers.NumbersClient(CallInvoker);
        Operations = new V1.Operations.OperationsClient(CallInvoker);
        Pools = new V1.Pools.PoolsClient(CallInvoker);
        Privacy = new V1.Privacy.PrivacyClient(CallInvoker);
        Routes = new V1.Routes.RoutesClient(CallInvoker);
        Simulator = new V1.Simulator.SimulatorClient(CallInvoker);
        Tenants = new V1.Tenants.TenantsClient(CallInvoker);
        Verification = new V1.Verification.VerificationClient(CallInvoker);
        Webhooks = new V1.Webhooks.WebhooksClient(CallInvoker);
    }

    /// <summary>A client for <paramref name="address"/> (e.g. <c>http://127.0.0.1:7400</c>) with <paramref name="apiKey"/> and the default retries.</summary>
    public PoolClient(string address, string? apiKey)
        : this(new PoolClientOptions { Address = new Uri(address, UriKind.Absolute), ApiKey = apiKey })
    {
    }

    /// <summary>The options the client was built from (their <see cref="PoolClientOptions.ToString"/> never shows the key).</summary>
    public PoolClientOptions Options { get; }

    /// <summary>The channel under every client.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>What every typed client calls through: the channel, plus the idempotency keys of <see cref="PoolRetryOptions"/> while retries are on. For clients of other services on the same channel.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>pool.v1.Audit: the audit log (admin and auditor keys).</summary>
    public V1.Audit.AuditClient Audit { get; }

    /// <summary>pool.v1.CarrierIntake: what carriers sent that Pool flagged, and delivery status reports (operators).</summary>
    public V1.CarrierIntake.CarrierIntakeClient CarrierIntake { get; }

    /// <summary>pool.v1.Leases: lease a number, read its SMS and codes, watch them arrive, release it (tenants).</summary>
    public V1.Leases.LeasesClient Leases { get; }

    /// <summary>pool.v1.Numbers: add, look up, watchlist, reinstate, retire and move numbers (operators).</summary>
    public V1.Numbers.NumbersClient Numbers { get; }

    /// <summary>pool.v1.Operations: the state of the cluster at a glance.</summary>
    public V1.Operations.OperationsClient Operations { get; }

    /// <summary>pool.v1.Pools: pools, their policies and counts (operators).</summary>
    public V1.Pools.PoolsClient Pools { get; }

    /// <summary>pool.v1.Privacy: erasing an end user's data (admin keys).</summary>
    public V1.Privacy.PrivacyClient Privacy { get; }

    /// <summary>pool.v1.Routes: outbound carrier routes and route tables (operators).</summary>
    public V1.Routes.RoutesClient Routes { get; }

    /// <summary>pool.v1.Simulator: the carrier simulator's routes, faults and handset (operators).</summary>
    public V1.Simulator.SimulatorClient Simulator { get; }

    /// <summary>pool.v1.Tenants: tenants, their limits and API keys (admin keys).</summary>
    public V1.Tenants.TenantsClient Tenants { get; }

    /// <summary>pool.v1.Verification: send a one-time code to an end user and check it (tenants).</summary>
    public V1.Verification.VerificationClient Verification { get; }

    /// <summary>pool.v1.Webhooks: webhook endpoints and their deliveries (tenants).</summary>
    public V1.Webhooks.WebhooksClient Webhooks { get; }

    /// <summary>
    /// Every SMS delivered to the caller's tenant's leases after <paramref name="afterCursor"/>, in cursor order, as they arrive, for
    /// as long as the caller enumerates: <c>Leases.WatchAllMessages</c> made resumable. The watch remembers the cursor of each message
    /// it yields; when the stream fails with UNAVAILABLE, loses its connection or ends, it reconnects after a backoff
    /// (<see cref="PoolClientOptions.Watch"/>) from that cursor, so no message is yielded twice and none is skipped.
    /// </summary>
    /// <param name="afterCursor">The <see cref="Message.Cursor"/> of the last message already handled; 0 for every message from the first.</param>
    /// <param name="cancellationToken">Ends the watch: the enumeration throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RpcException">A status a reconnection cannot cure (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT…), or
    /// the last failure once Pool has been unreachable for <see cref="PoolWatchOptions.GiveUpAfter"/>.</exception>
    public IAsyncEnumerable<Message> WatchAllMessagesAsync(long afterCursor = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterCursor);
        return ResumableWatch.RunAsync(Leases, afterCursor, Options.Watch, TimeProvider.System, cancellationToken);
    }

    /// <summary>Closes the channel (calls in flight are cancelled) and the HTTP handler the client made for itself.</summary>
    public void Dispose()
    {
        Channel.Dispose();
        _ownHandler?.Dispose();
    }

    private static MethodConfig RetryConfig(PoolRetryOptions retry) => new()
    {
        Names = { MethodName.Default },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = retry.MaxAttempts,
            InitialBackoff = retry.InitialBackoff,
            MaxBackoff = retry.MaxBackoff,
            BackoffMultiplier = retry.BackoffMultiplier,
            RetryableStatusCodes = { StatusCode.Unavailable },
        },
    };

    private static Uri Validated(PoolClientOptions options)
    {
        if (options.Address is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"PoolClientOptions.Address '{options.Address}' is not an absolute http:// or https:// address", nameof(options));
        }

        if (options.ApiKey is { } key)
        {
            ApiKeyCredentials.Check(key);
        }

        var retry = options.Retry ?? throw new ArgumentException("PoolClientOptions.Retry is null", nameof(options));
        if (retry.Enabled)
        {
            Require(retry.MaxAttempts is >= 2 and <= 20, $"PoolClientOptions.Retry.MaxAttempts {retry.MaxAttempts} is out of range (2 to 20)");
            Require(retry.InitialBackoff > TimeSpan.Zero, $"PoolClientOptions.Retry.InitialBackoff {retry.InitialBackoff} is not more than zero");
            Require(retry.MaxBackoff >= retry.InitialBackoff, $"PoolClientOptions.Retry.MaxBackoff {retry.MaxBackoff} is less than InitialBackoff {retry.InitialBackoff}");
            Require(retry.BackoffMultiplier > 0 && double.IsFinite(retry.BackoffMultiplier), $"PoolClientOptions.Retry.BackoffMultiplier {retry.BackoffMultiplier} is not more than zero");
        }

        var watch = options.Watch ?? throw new ArgumentException("PoolClientOptions.Watch is null", nameof(options));
        Require(watch.InitialBackoff > TimeSpan.Zero, $"PoolClientOptions.Watch.InitialBackoff {watch.InitialBackoff} is not more than zero");
        Require(watch.MaxBackoff >= watch.InitialBackoff, $"PoolClientOptions.Watch.MaxBackoff {watch.MaxBackoff} is less than InitialBackoff {watch.InitialBackoff}");
        Require(watch.GiveUpAfter is null || watch.GiveUpAfter > TimeSpan.Zero, $"PoolClientOptions.Watch.GiveUpAfter {watch.GiveUpAfter} is not more than zero");
        Require(options.MaxReceiveMessageSize > 0, $"PoolClientOptions.MaxReceiveMessageSize {options.MaxReceiveMessageSize} is not more than zero");
        return address;

        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message, nameof(options));
            }
        }
    }
}

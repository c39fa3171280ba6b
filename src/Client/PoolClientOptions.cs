using Grpc.Net.Client;

namespace Pool.Client;

/// <summary>
/// Where the Pool API is, the API key to call it with, and how to retry: what <see cref="PoolClient"/> is built from.
/// Checked when the client is built: a bad setting throws <see cref="ArgumentException"/> naming the setting.
/// </summary>
public sealed class PoolClientOptions
{
    /// <summary>The gRPC endpoint, <c>http://host:port</c> (cleartext HTTP/2) or <c>https://host:port</c> (TLS), e.g. <c>http://127.0.0.1:7400</c>. Required.</summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// The API key (<c>pool_&lt;12 hex&gt;_&lt;43 characters&gt;</c>) sent as <c>authorization: Bearer &lt;key&gt;</c> on every call,
    /// over http:// and https:// alike; null sends none (every pool.v1 call then fails with UNAUTHENTICATED).
    /// Printable ASCII only. Never printed by <see cref="ToString"/>.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries of UNAVAILABLE answers, on by default.</summary>
    public PoolRetryOptions Retry { get; set; } = new();

    /// <summary>How <see cref="PoolClient.WatchAllMessagesAsync"/> reconnects.</summary>
    public PoolWatchOptions Watch { get; set; } = new();

    /// <summary>
    /// The HTTP handler the channel sends through (a <see cref="SocketsHttpHandler"/> with a proxy or a client certificate, a test
    /// handler…); null for a <see cref="SocketsHttpHandler"/> of the client's own. A handler given here is not disposed by the client.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The largest message the client accepts, in bytes; 4 MiB by default (Pool's answers are at most 1 MiB).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Adjusts the channel options last, after the client has set credentials, the retry policy and the handler
    /// (e.g. <see cref="GrpcChannelOptions.LoggerFactory"/>). Replacing the service config or the credentials turns off what they carry.
    /// </summary>
    public Action<GrpcChannelOptions>? ConfigureChannel { get; set; }

    /// <summary>The address and whether a key is set; never the key.</summary>
    public override string ToString() =>
        $"PoolClientOptions {{ Address = {Address}, ApiKey = {(ApiKey is null ? "none" : "set (hidden)")}, Retry = {Retry}, Watch = {Watch} }}";
}

/// <summary>
/// Retries of calls that fail with UNAVAILABLE, done by gRPC itself from the channel's service config (gRPC A6 client retries):
/// each attempt waits a random time between 0 and the current backoff, which starts at <see cref="InitialBackoff"/> and is
/// multiplied by <see cref="BackoffMultiplier"/> up to <see cref="MaxBackoff"/>. When an UNAVAILABLE answer carries a
/// <c>google.rpc.RetryInfo</c> (Pool's always do) the next attempt waits that delay instead, capped at <see cref="MaxBackoff"/>.
/// While retries are on, a request with an empty <c>idempotency_key</c> is sent with a new random key so that every attempt of
/// that call is the same call to Pool.
/// </summary>
public sealed class PoolRetryOptions
{
    /// <summary>Whether UNAVAILABLE is retried at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts per call, the first included: 2 to 20. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The backoff before the second attempt: more than zero. Default 1 s (Pool's own RetryInfo for a fault).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff: at least <see cref="InitialBackoff"/>. Default 10 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What the backoff is multiplied by after each attempt: more than zero. Default 2.</summary>
    public double BackoffMultiplier { get; set; } = 2;

    /// <summary>Whether a <c>google.rpc.RetryInfo</c> in an UNAVAILABLE answer sets the next backoff. Default true.</summary>
    public bool HonorRetryInfo { get; set; } = true;

    /// <inheritdoc/>
    public override string ToString() => Enabled
        ? $"{{ MaxAttempts = {MaxAttempts}, InitialBackoff = {InitialBackoff}, MaxBackoff = {MaxBackoff}, BackoffMultiplier = {BackoffMultiplier}, HonorRetryInfo = {HonorRetryInfo} }}"
        : "{ Enabled = False }";
}

/// <summary>
/// How a resumable watch reconnects after UNAVAILABLE, a lost connection or the end of the stream: it waits
/// <see cref="InitialBackoff"/>, doubled after each failed reconnection up to <see cref="MaxBackoff"/>, and starts again at
/// <see cref="InitialBackoff"/> once a message has arrived.
/// </summary>
public sealed class PoolWatchOptions
{
    /// <summary>The wait before the first reconnection: more than zero. Default 500 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnections: at least <see cref="InitialBackoff"/>. Default 10 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a watch keeps trying while Pool cannot be reached at all (connection refused, name not resolved, no route) before it
    /// throws the last error; null (the default) for as long as the caller does not cancel. A stream that was cut or ended, and an
    /// UNAVAILABLE answer from Pool itself, are retried for ever: Pool is there.
    /// </summary>
    public TimeSpan? GiveUpAfter { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{{ InitialBackoff = {InitialBackoff}, MaxBackoff = {MaxBackoff}, GiveUpAfter = {GiveUpAfter?.ToString() ?? "never"} }}";
}

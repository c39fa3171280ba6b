using Grpc.Core;
using Microsoft.Extensions.Logging;
using Pool.Api.Errors;
using Pool.Contracts.Errors;
using Pool.Testing;

namespace Pool.EndToEnd.Tests;

/// <summary>How the API turns what grains throw into answers: refusals keep their meaning, faults never leak.</summary>
public sealed class ErrorTranslationTests
{
    private static async Task<(RpcException Error, LogCapture Logs)> TranslateAsync(Exception thrown, DateTime? deadline = null, bool cancelled = false)
    {
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var interceptor = new ErrorInterceptor(factory.CreateLogger<ErrorInterceptor>());
        using var cancellation = new CancellationTokenSource();
        if (cancelled)
        {
            await cancellation.CancelAsync();
        }

        var context = new FakeCallContext("/pool.v1.Leases/CreateLease", deadline ?? DateTime.MaxValue, cancellation.Token);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", context, (_, _) => throw thrown));
        return (error, logs);
    }

    [Fact]
    public async Task An_internal_fault_answers_internal_with_a_correlation_id_that_is_in_the_log_and_hides_the_exception()
    {
        var (error, logs) = await TranslateAsync(new InvalidOperationException("connection string Password=hunter2 broke"));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("hunter2", error.Status.Detail, StringComparison.Ordinal);
        var correlation = System.Text.RegularExpressions.Regex.Match(error.Status.Detail, "correlation id ([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEmpty(correlation);
        Assert.Contains(logs.Lines, line => line.Contains(correlation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transient_cluster_fault_answers_unavailable()
    {
        var (error, _) = await TranslateAsync(new TimeoutException("silo did not answer"));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    public static TheoryData<string> Faults => [.. s_faults.Keys];

    private static readonly Dictionary<string, Exception> s_faults = new(StringComparer.Ordinal)
    {
        ["a driver exception that had no codec"] = new Orleans.Serialization.CodecNotFoundException("Could not find a codec for type Npgsql.NpgsqlException."),
        ["a driver exception in this process"] = new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:7432 as Password=hunter2"),
        ["a storage read during activation"] = new Orleans.Runtime.OrleansException("Error from storage provider AdoNetGrainStorage.pool during ReadStateAsync Password=hunter2", new Npgsql.NpgsqlException("Failed to connect")),
        ["a silo that went away"] = new Orleans.Runtime.SiloUnavailableException("S127.0.0.1:11111:1 Password=hunter2"),
        ["an ETag conflict"] = new Orleans.Storage.InconsistentStateException("Password=hunter2"),
        ["a fault wrapped in an aggregate"] = new AggregateException(new System.Net.Sockets.SocketException(111)),
        ["a fault translated by the grain boundary"] = new PoolException(PoolErrorCode.Unavailable, InfrastructureFaults.Message),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_storage_or_cluster_fault_answers_unavailable_with_a_retry_delay_and_none_of_its_text(string fault)
    {
        var (error, _) = await TranslateAsync(s_faults[fault]);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.NotNull(error.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>());
        Assert.DoesNotContain("hunter2", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_message_built_from_a_huge_input_is_bounded()
    {
        var (error, _) = await TranslateAsync(new PoolException(PoolErrorCode.InvalidArgument, $"'{new string('s', 65_536)}' is not a service name", "service"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(error.Status.Detail.Length <= Echo.MaxMessage + 32, $"the message is bounded; it has {error.Status.Detail.Length} characters");
        Assert.True(error.GetRpcStatus()!.CalculateSize() < 2048, "the status with its details is bounded");
    }

    [Theory]
    [InlineData(PoolErrorCode.NotFound, StatusCode.NotFound)]
    [InlineData(PoolErrorCode.Exhausted, StatusCode.ResourceExhausted)]
    [InlineData(PoolErrorCode.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(PoolErrorCode.Conflict, StatusCode.AlreadyExists)]
    [InlineData(PoolErrorCode.Unavailable, StatusCode.Unavailable)]
    [InlineData(PoolErrorCode.InvalidArgument, StatusCode.InvalidArgument)]
    public async Task A_refusal_keeps_its_meaning_and_message(PoolErrorCode code, StatusCode expected)
    {
        var (error, _) = await TranslateAsync(new PoolException(code, "the reason", "field"));

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains("the reason", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passed_deadline_answers_deadline_exceeded_and_a_cancelled_call_cancelled()
    {
        var (late, _) = await TranslateAsync(new OperationCanceledException(), DateTime.UtcNow.AddSeconds(-1), cancelled: true);
        var (cancelled, _) = await TranslateAsync(new OperationCanceledException(), cancelled: true);

        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
    }

    private sealed class FakeCallContext(string method, DateTime deadline, CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "127.0.0.1";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => deadline;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}

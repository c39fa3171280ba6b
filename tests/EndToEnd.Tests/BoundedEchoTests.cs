using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>
/// An error answer repeats at most a bounded prefix of what the client sent, whatever its size: a 64 KB
/// value in any field is refused INVALID_ARGUMENT with a message and details of a few kilobytes (HTTP/2
/// clients refuse large trailers and drop the connection), and the connection serves the next call.
/// </summary>
public sealed class BoundedEchoTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private const int MaxMessageChars = 1024;
    private const int MaxStatusBytes = 4096;
    private const int MaxLogLineChars = 8192;

    private static readonly string s_ascii = new('x', 64 * 1024);

    /// <summary>Three bytes in UTF-8, nine once percent-encoded in grpc-message.</summary>
    private static readonly string s_wide = new('€', 64 * 1024);

    public static TheoryData<string> Calls => [.. s_calls.Keys];

    private static readonly Dictionary<string, Func<CallInvoker, Task>> s_calls = new(StringComparer.Ordinal)
    {
        ["CreateLease: service, country, pool, prefixes and key of 64 KB"] = c => new Leases.LeasesClient(c).CreateLeaseAsync(new CreateLeaseRequest
        {
            Service = s_ascii,
            Country = s_ascii,
            Pool = s_wide,
            IdempotencyKey = s_ascii,
            ExcludePrefixes = { Enumerable.Repeat(s_ascii, 8) },
        }).ResponseAsync,
        ["CreateLease: service of 64 KB"] = c => new Leases.LeasesClient(c).CreateLeaseAsync(new CreateLeaseRequest { Service = s_wide, Country = "HK" }).ResponseAsync,
        ["GetLease: lease id of 64 KB"] = c => new Leases.LeasesClient(c).GetLeaseAsync(new GetLeaseRequest { LeaseId = s_wide }).ResponseAsync,
        ["CreateTenant: tenant and name of 64 KB"] = c => new Tenants.TenantsClient(c).CreateTenantAsync(new CreateTenantRequest { Tenant = s_ascii, Name = s_wide }).ResponseAsync,
        ["CreatePool: pool, country and carrier of 64 KB"] = c => new Pools.PoolsClient(c).CreatePoolAsync(new CreatePoolRequest { Pool = s_ascii, Country = s_wide, Carrier = s_ascii }).ResponseAsync,
        ["WatchlistNumber: number and reason of 64 KB"] = c => new Numbers.NumbersClient(c).WatchlistNumberAsync(new WatchlistNumberRequest { Number = s_wide, Reason = s_ascii }).ResponseAsync,
        ["AddNumbers: ten numbers of 64 KB"] = c => new Numbers.NumbersClient(c).AddNumbersAsync(new AddNumbersRequest { Pool = "echo", Country = "HK", Numbers = { Enumerable.Repeat(s_wide[..20_000], 10) } }).ResponseAsync,
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_huge_value_is_refused_invalid_with_an_answer_of_a_few_kilobytes_and_the_connection_serves_the_next_call(string call)
    {
        var logged = fixture.Pool.Logs.Lines.Count;
        var error = await Assert.ThrowsAsync<RpcException>(() => s_calls[call](fixture.Admin));
        var status = error.GetRpcStatus();
        var next = await new Pools.PoolsClient(fixture.Admin).ListPoolsAsync(new ListPoolsRequest());
        var longest = fixture.Pool.Logs.Lines.Skip(logged).Select(line => line.Length).DefaultIfEmpty(0).Max();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.NotNull(status);
        Assert.True(error.Status.Detail.Length <= MaxMessageChars, $"the message is at most {MaxMessageChars} characters; it has {error.Status.Detail.Length}");
        Assert.True(status.CalculateSize() <= MaxStatusBytes, $"the status with its details is at most {MaxStatusBytes} bytes; it has {status.CalculateSize()}");
        Assert.NotEmpty(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Contains("more)", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(longest <= MaxLogLineChars, $"no log line written for the call is longer than {MaxLogLineChars} characters; the longest has {longest}");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_request_over_the_1_MiB_message_limit_is_resource_exhausted_and_the_connection_serves_the_next_call()
    {
        var huge = new CreateTenantRequest { Tenant = "huge", Name = new string('n', 2 * 1024 * 1024) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Tenants.TenantsClient(fixture.Admin).CreateTenantAsync(huge));
        var next = await new Pools.PoolsClient(fixture.Admin).ListPoolsAsync(new ListPoolsRequest());

        Assert.True(huge.CalculateSize() > 2 * 1024 * 1024, "the request holds more than 2 MiB");
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(error.Status.Detail.Length < MaxMessageChars, $"the answer is short: '{error.Status.Detail}'");
        Assert.NotNull(next);
    }
}

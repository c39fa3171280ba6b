using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>The pool.v1 API driven as a client would, over gRPC, against a real silo and database.</summary>
public sealed class LeaseApiTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    private readonly Leases.LeasesClient _leases = new(fixture.Admin);
    private readonly Numbers.NumbersClient _numbers = new(fixture.Admin);

    private async Task<string> AddPoolAsync(int size)
    {
        var (pool, numbers) = PoolFixture.NewPool(size);
        var added = await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "hk", Numbers = { numbers } });
        Assert.Equal(size, added.Added);
        return pool;
    }

    [Fact]
    public async Task A_client_adds_numbers_leases_one_reads_it_and_releases_it()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);
        var added = await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers[0], numbers[1], numbers[0] } });

        var lease = await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "Telegram", Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) });
        var read = await _leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId });
        var number = await _numbers.GetNumberAsync(new GetNumberRequest { Number = lease.Number });
        var released = await _leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Cancelled });
        var after = await _numbers.GetNumberAsync(new GetNumberRequest { Number = lease.Number });

        Assert.Equal(2, added.Added);
        Assert.Empty(added.AlreadyPresent);
        Assert.Contains(lease.Number, numbers);
        Assert.Equal("telegram", lease.Service);
        Assert.Equal(LeaseState.Active, lease.State);
        Assert.Equal(TimeSpan.FromMinutes(5), lease.ExpireTime.ToDateTimeOffset() - lease.CreateTime.ToDateTimeOffset());
        Assert.Equal(lease, read);
        Assert.Equal(NumberState.Leased, number.State);
        Assert.Equal(lease.LeaseId, number.LeaseId);
        Assert.Equal(LeaseState.Ended, released.State);
        Assert.Equal(LeaseOutcome.Cancelled, released.Outcome);
        Assert.NotNull(released.EndTime);
        Assert.Equal(NumberState.Cooling, after.State);
    }

    [Fact]
    public async Task Adding_numbers_already_in_the_pool_reports_them_instead_of_failing()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);
        await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers[0] } });

        var again = await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });

        Assert.Equal(1, again.Added);
        Assert.Equal([numbers[0]], again.AlreadyPresent);
    }

    [Fact]
    public async Task A_lease_with_bad_fields_is_invalid_argument_naming_every_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _leases.CreateLeaseAsync(new CreateLeaseRequest
        {
            Country = "XX",
            Pool = "Bad Pool!",
            Service = "",
            Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            IdempotencyKey = "tab\there",
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal(["country", "pool", "service", "ttl", "idempotency_key"], fields);
        Assert.Contains("country", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_with_one_bad_number_is_refused_whole_naming_the_entry()
    {
        var (pool, numbers) = PoolFixture.NewPool(2);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers[0], "+8521", "+447400123456" } }));
        var notAdded = await Assert.ThrowsAsync<RpcException>(async () => await _numbers.GetNumberAsync(new GetNumberRequest { Number = numbers[0] }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations;
        Assert.Equal(["numbers[1]", "numbers[2]"], violations.Select(v => v.Field));
        Assert.Contains("not HK", violations[1].Description, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, notAdded.StatusCode);
    }

    [Fact]
    public async Task Numbers_of_another_pool_refuse_the_whole_batch()
    {
        var first = await AddPoolAsync(1);
        var taken = (await _numbers.GetNumberAsync(new GetNumberRequest { Number = (await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = first, Service = "x" })).Number })).Number_;
        var (second, fresh) = PoolFixture.NewPool(1);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _numbers.AddNumbersAsync(new AddNumbersRequest { Pool = second, Country = "HK", Numbers = { fresh[0], taken } }));
        var freshLookup = await Assert.ThrowsAsync<RpcException>(async () => await _numbers.GetNumberAsync(new GetNumberRequest { Number = fresh[0] }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains($"pool '{first}'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, freshLookup.StatusCode);
    }

    [Fact]
    public async Task An_empty_pool_is_resource_exhausted_naming_the_pool()
    {
        var pool = await AddPoolAsync(1);
        await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains($"'{pool}'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_country_without_pools_and_an_unknown_pool_are_told_apart()
    {
        var noPools = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "IS", Service = "telegram" }));
        var unknownPool = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = "no-such-pool", Service = "telegram" }));

        Assert.Equal(StatusCode.ResourceExhausted, noPools.StatusCode);
        Assert.Contains("no pool holds numbers of IS", noPools.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, unknownPool.StatusCode);
        Assert.Contains("'no-such-pool'", unknownPool.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_and_malformed_lease_ids_are_not_found_and_invalid()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = "ls_0123456789abcdef0123456789abcdef" }));
        var malformed = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = "lease-1" }));

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal("lease_id", malformed.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations[0].Field);
    }

    [Fact]
    public async Task A_client_cannot_end_a_lease_as_expired()
    {
        var pool = await AddPoolAsync(1);
        var lease = await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId, Outcome = LeaseOutcome.Expired }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(LeaseState.Active, (await _leases.GetLeaseAsync(new GetLeaseRequest { LeaseId = lease.LeaseId })).State);
    }

    [Fact]
    public async Task A_retried_create_returns_the_first_lease_and_a_reused_key_is_already_exists()
    {
        var pool = await AddPoolAsync(3);
        var request = new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram", IdempotencyKey = $"order-{Guid.NewGuid()}" };

        var first = await _leases.CreateLeaseAsync(request);
        var retry = await _leases.CreateLeaseAsync(request);
        var reuse = await Assert.ThrowsAsync<RpcException>(async () =>
            await _leases.CreateLeaseAsync(new CreateLeaseRequest(request) { Service = "whatsapp" }));

        Assert.Equal(first, retry);
        Assert.Equal(StatusCode.AlreadyExists, reuse.StatusCode);
    }

    [Fact]
    public async Task Health_and_reflection_are_served()
    {
        var health = await new Health.HealthClient(fixture.Admin).CheckAsync(new HealthCheckRequest());

        using var reflection = new ServerReflection.ServerReflectionClient(fixture.Admin).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("pool.v1.Leases", services);
        Assert.Contains("pool.v1.Numbers", services);
    }

    [Fact]
    public async Task The_dashboard_and_health_endpoints_answer_over_http()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Pool.HttpAddress) };

        var dashboard = await http.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        var live = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetStringAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("html", dashboard.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready);
    }

    [Fact]
    public async Task No_full_phone_number_reaches_the_logs()
    {
        var pool = await AddPoolAsync(2);
        var lease = await _leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
        await _leases.ReleaseLeaseAsync(new ReleaseLeaseRequest { LeaseId = lease.LeaseId });

        var lines = fixture.Pool.Logs.Lines.ToList();
        var digits = lease.Number[1..];

        Assert.Contains(lines, line => line.Contains(new Pool.Sms.Numbers.MaskedNumber(lease.Number).ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(digits, StringComparison.Ordinal));
    }
}

public sealed class LeaseListingTests(PoolFixture fixture) : IClassFixture<PoolFixture>
{
    [Fact]
    public async Task Listing_pages_through_every_lease_once_newest_first()
    {
        var leases = new Leases.LeasesClient(fixture.Admin);
        var (pool, numbers) = PoolFixture.NewPool(5);
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { numbers } });
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await leases.CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" })).LeaseId);
        }

        await Pool.Testing.Eventually.ReturnsAsync(
            async () => (await leases.ListLeasesAsync(new ListLeasesRequest { PageSize = 500 })).Leases.Count(l => created.Contains(l.LeaseId)),
            count => count == 5,
            TimeSpan.FromSeconds(10),
            "all five leases in the listing");
        var seen = new List<Lease>();
        var token = "";
        do
        {
            var page = await leases.ListLeasesAsync(new ListLeasesRequest { PageSize = 2, PageToken = token, ActiveOnly = true });
            Assert.InRange(page.Leases.Count, 0, 2);
            seen.AddRange(page.Leases);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await leases.ListLeasesAsync(new ListLeasesRequest { PageToken = "yesterday" }));

        var mine = seen.Where(l => created.Contains(l.LeaseId)).ToList();
        Assert.Equal(created.Order(), mine.Select(l => l.LeaseId).Order());
        Assert.Equal(seen.Count, seen.Select(l => l.LeaseId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(l => l.CreateTime.ToDateTimeOffset()).Select(l => l.LeaseId), seen.Select(l => l.LeaseId));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
    }
}

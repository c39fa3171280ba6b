using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Pool.V1;

namespace Pool.Client.Tests;

/// <summary>Every pool.v1 service has a typed client on <see cref="PoolClient"/>, and each one reaches a real Pool.</summary>
public sealed class ServiceCoverageTests(ClientPoolFixture fixture) : IClassFixture<ClientPoolFixture>
{
    /// <summary>Every gRPC service in the package's generated code (a static class with a service <c>Descriptor</c>), by full name.</summary>
    private static HashSet<string> ServicesInTheProtos() => typeof(PoolClient).Assembly.GetTypes()
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
        .Where(p => p?.PropertyType == typeof(ServiceDescriptor))
        .Select(p => ((ServiceDescriptor)p!.GetValue(null)!).FullName)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>One call per service, made through the client's property for it; a new service needs a line here.</summary>
    private static readonly Dictionary<string, Func<PoolClient, Task<string>>> s_oneCallEach = new(StringComparer.Ordinal)
    {
        ["pool.v1.Audit"] = async c => $"{(await c.Audit.ListAuditEventsAsync(new ListAuditEventsRequest())).Events.Count} audit events",
        ["pool.v1.CarrierIntake"] = async c => $"{(await c.CarrierIntake.ListFlaggedMessagesAsync(new ListFlaggedMessagesRequest())).Messages.Count} flagged",
        ["pool.v1.Leases"] = async c => $"{(await c.Leases.ListLeasesAsync(new ListLeasesRequest())).Leases.Count} leases",
        ["pool.v1.Numbers"] = async c => (await c.Numbers.AddNumbersAsync(new AddNumbersRequest { Pool = "coverage", Country = "HK", Numbers = { "+85251230001" } })).ToString(),
        ["pool.v1.Operations"] = async c => (await c.Operations.GetStatusAsync(new GetStatusRequest())).Silos.Count + " silos",
        ["pool.v1.Pools"] = async c => $"{(await c.Pools.ListPoolsAsync(new ListPoolsRequest())).Pools.Count} pools",
        ["pool.v1.Privacy"] = async c => (await c.Privacy.EraseEndUserAsync(new EraseEndUserRequest { Number = "+85251239999" })).Number,
        ["pool.v1.Routes"] = async c => $"{(await c.Routes.ListRoutesAsync(new ListRoutesRequest())).Routes.Count} routes",
        ["pool.v1.Simulator"] = async c =>
        {
            // The fixture runs no simulator: the service's own FAILED_PRECONDITION proves the call reached it, authenticated.
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await c.Simulator.ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest()));
            return ex.StatusCode == StatusCode.FailedPrecondition && ex.Status.Detail.Contains("simulator", StringComparison.Ordinal) ? ex.Status.Detail : throw ex;
        },
        ["pool.v1.Tenants"] = async c => $"{(await c.Tenants.ListTenantsAsync(new ListTenantsRequest())).Tenants.Count} tenants",
        ["pool.v1.Verification"] = async c =>
        {
            // An unknown id: Pool's own NOT_FOUND proves the call reached the service, authenticated.
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await c.Verification.GetVerificationAsync(new GetVerificationRequest { VerificationId = "vf_unknown" }));
            return ex.StatusCode == StatusCode.NotFound || ex.StatusCode == StatusCode.InvalidArgument ? ex.StatusCode.ToString() : throw ex;
        },
        ["pool.v1.Webhooks"] = async c => $"{(await c.Webhooks.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest())).Endpoints.Count} endpoints",
    };

    [Fact]
    public void Every_service_in_the_protos_has_a_typed_client_property()
    {
        var services = ServicesInTheProtos();
        var properties = typeof(PoolClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsSubclassOf(typeof(ClientBase)))
            .ToDictionary(p => p.Name, p => p.PropertyType.DeclaringType!);

        Assert.True(services.Count >= 12, $"the generated code holds the pool.v1 services: {string.Join(", ", services)}");
        Assert.Equal(services.Order(), properties.Values.Select(t => (ServiceDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!).Select(d => d.FullName).Order());
        Assert.All(properties, p => Assert.Equal(p.Value.Name, p.Key)); // the property is named after its service
    }

    [Fact]
    public async Task Every_service_answers_a_call_through_its_property_on_a_real_Pool()
    {
        Assert.Equal(ServicesInTheProtos().Order(), s_oneCallEach.Keys.Order());
        var answers = new List<string>();
        foreach (var (service, call) in s_oneCallEach)
        {
            answers.Add($"{service}: {await call(fixture.Admin)}");
        }

        Assert.Equal(s_oneCallEach.Count, answers.Count);
        Assert.Contains(answers, a => a.StartsWith("pool.v1.Operations: ", StringComparison.Ordinal) && !a.EndsWith(" 0 silos", StringComparison.Ordinal));
    }
}

using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Pool.Carriers.Simulator;
using Pool.Cli;
using Pool.Sms.Encoding;
using Pool.Sms.Smpp;
using Pool.Testing;
using Pool.V1;

namespace Pool.EndToEnd.Tests;

/// <summary>A Pool running the embedded carrier simulator, as scripts/run.sh starts it.</summary>
public sealed class SimulatorFixture() : HostFixture("sm")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Pool:Simulator:Enabled"] = "true" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Eventually.ReturnsAsync(
            async () => (await new Simulator.SimulatorClient(Admin).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest())).Routes.Count(r => r.BoundSessions > 0),
            bound => bound == 2, TimeSpan.FromSeconds(60), "the silo bound to both simulated SMSCs");
    }

    public Task<PoolCtlRun> PoolCtlAsync(params string[] args) => PoolCtlRunner.RunOnAsync(Pool, Pool.AdminKey, args);
}

/// <summary>MO SMS over SMPP from the simulator, and fault injection, through poolctl sim.</summary>
public sealed class SimulatorTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static int s_pools;

    private async Task<Lease> LeaseAsync()
    {
        var n = Interlocked.Increment(ref s_pools);
        var pool = $"sm-{n}";
        await new Numbers.NumbersClient(fixture.Admin).AddNumbersAsync(new AddNumbersRequest { Pool = pool, Country = "HK", Numbers = { $"+852513{n:D2}001" } });
        return await new Leases.LeasesClient(fixture.Admin).CreateLeaseAsync(new CreateLeaseRequest { Country = "HK", Pool = pool, Service = "telegram" });
    }

    private Task<ListMessagesResponse> MessagesAsync(Lease lease, int count) => Eventually.ReturnsAsync(
        () => new Leases.LeasesClient(fixture.Admin).ListMessagesAsync(new ListMessagesRequest { LeaseId = lease.LeaseId }).ResponseAsync,
        messages => messages.Messages.Count >= count, TimeSpan.FromSeconds(30), $"{count} message(s) on the lease");

    [Fact]
    public async Task An_MO_SMS_over_SMPP_reaches_the_lease_with_its_code()
    {
        var lease = await LeaseAsync();

        var sent = await fixture.PoolCtlAsync("sim", "send", "sim-a", "--to", lease.Number, "--from", "Telegram", "--text", "Telegram code: 61528. Do not give this code to anyone.");
        var message = Assert.Single((await MessagesAsync(lease, 1)).Messages);

        Assert.True(sent.Exit == 0, sent.Err);
        Assert.Contains("sent in 1 part", sent.Out, StringComparison.Ordinal);
        Assert.Equal("61528", message.Code);
        Assert.Equal("Telegram", message.Sender);
    }

    [Fact]
    public async Task A_long_Chinese_MO_in_parts_over_SMPP_is_reassembled_once_with_UDH_or_SAR()
    {
        var udhLease = await LeaseAsync();
        var sarLease = await LeaseAsync();
        var text = "【腾讯科技】您的验证码是530719，用于登录验证，5分钟内有效。如非本人操作，请忽略本短信。为保障您的帐号安全，请勿将验证码告诉他人。感谢您的使用，祝您生活愉快！";

        var udh = await fixture.PoolCtlAsync("sim", "send", "sim-a", "--to", udhLease.Number, "--from", "Tencent", "--text", text);
        var sar = await fixture.PoolCtlAsync("sim", "send", "sim-b", "--to", sarLease.Number, "--from", "Tencent", "--text", text, "--sar");
        var viaUdh = Assert.Single((await MessagesAsync(udhLease, 1)).Messages);
        var viaSar = Assert.Single((await MessagesAsync(sarLease, 1)).Messages);

        Assert.Contains("sent in 2 part(s)", udh.Out, StringComparison.Ordinal);
        Assert.Contains("sent in 2 part(s)", sar.Out, StringComparison.Ordinal);
        Assert.Equal(text, viaUdh.Text);
        Assert.Equal(text, viaSar.Text);
        Assert.Equal("530719", viaUdh.Code);
        Assert.Equal("腾讯科技", viaSar.Service);
    }

    [Fact]
    public async Task A_long_MO_from_the_simulated_HTTP_carrier_arrives_in_parts_and_is_reassembled()
    {
        var lease = await LeaseAsync();
        var text = "Your WhatsApp code is 271-828. You can also tap on this link to verify your phone: v.whatsapp.com/271828 Don't share this code with others. If you did not ask for it, ignore this message.";

        var sent = await fixture.PoolCtlAsync("sim", "send", "sim-http", "--to", lease.Number, "--text", text);
        var message = Assert.Single((await MessagesAsync(lease, 1)).Messages);

        Assert.Contains("sent in 2 part(s)", sent.Out, StringComparison.Ordinal);
        Assert.Equal(text, message.Text);
        Assert.Equal("271828", message.Code);
    }

    [Fact]
    public async Task Poolctl_sim_sets_and_clears_faults_and_refuses_bad_input()
    {
        var set = await fixture.PoolCtlAsync("--json", "sim", "faults", "sim-b", "--error-rate", "0.5", "--latency", "0.05s", "--dlr-failure-rate", "0.25");
        var list = await fixture.PoolCtlAsync("sim", "list");
        var cleared = await fixture.PoolCtlAsync("--json", "sim", "faults", "sim-b", "--clear");
        var badRate = await fixture.PoolCtlAsync("sim", "faults", "sim-b", "--throttle-rate", "1.5");
        var unknown = await fixture.PoolCtlAsync("sim", "faults", "sim-z", "--outage", "true");
        var badNumber = await fixture.PoolCtlAsync("sim", "send", "sim-a", "--to", "12345", "--text", "x");

        Assert.True(set.Exit == 0, set.Err);
        Assert.Contains("\"submitErrorRate\": 0.5", set.Out, StringComparison.Ordinal);
        Assert.Contains("\"latency\": \"0.050s\"", set.Out, StringComparison.Ordinal);
        Assert.Contains("sim-b", list.Out, StringComparison.Ordinal);
        Assert.Contains("0.25", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"submitErrorRate\": 0", cleared.Out, StringComparison.Ordinal);
        Assert.Contains("\"dlrFailureRate\": 0", cleared.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badRate.Exit);
        Assert.Contains("throttle_rate", badRate.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Contains("sim-a, sim-b, sim-http", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badNumber.Exit);
        Assert.Contains("to", badNumber.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulator_needs_an_admin_key_and_is_refused_where_it_does_not_run()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var plain = await PoolProcess.StartAsync(database, $"ns-{Guid.NewGuid():n}"[..16]);
        using var channel = GrpcChannel.ForAddress(plain.GrpcAddress);

        var notRunning = await Assert.ThrowsAsync<RpcException>(() =>
            new Simulator.SimulatorClient(Authorized.With(channel, plain.AdminKey)).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest()).ResponseAsync);
        await new Tenants.TenantsClient(fixture.Admin).CreateTenantAsync(new CreateTenantRequest { Tenant = "sim-tenant", Name = "Sim" });
        var tenantKey = (await new Tenants.TenantsClient(fixture.Admin).CreateApiKeyAsync(new CreateApiKeyRequest { Tenant = "sim-tenant" })).Secret;
        var asTenant = await Assert.ThrowsAsync<RpcException>(() =>
            new Simulator.SimulatorClient(Authorized.With(GrpcChannel.ForAddress(fixture.Pool.GrpcAddress), tenantKey)).ListSimulatedRoutesAsync(new ListSimulatedRoutesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, notRunning.StatusCode);
        Assert.Contains("Pool:Simulator:Enabled", notRunning.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, asTenant.StatusCode);
    }

    [Fact]
    public async Task What_Pool_cannot_decode_or_route_is_acknowledged_only_as_stored_and_listed_for_operators()
    {
        var lease = await LeaseAsync();
        var smsc = fixture.Pool.Services.GetRequiredService<EmbeddedSimulator>().SmscOf("sim-a")!;
        var binary = new DeliverSm
        {
            SourceAddrTon = 5, SourceAddr = "Bank", DestAddrTon = 1, DestAddrNpi = 1, DestinationAddr = lease.Number.TrimStart('+'),
            DataCoding = 0x04, ShortMessage = [0x01, 0x02, 0xFE, 0xFF],
        };
        var unroutable = new DeliverSm
        {
            SourceAddrTon = 5, SourceAddr = "Bank", DestAddrTon = 5, DestAddrNpi = 0, DestinationAddr = "POOLDESK",
            DataCoding = 0xF0, ShortMessage = Gsm7.Encode("Code 482913"),
        };

        var binaryStatus = await smsc.SendPduAsync(binary);
        var unroutableStatus = await smsc.SendPduAsync(unroutable);
        var onLease = Assert.Single((await MessagesAsync(lease, 1)).Messages);
        var flagged = await fixture.PoolCtlAsync("carriers", "flagged", "--flag", "unroutable", "--json");
        var binaries = await fixture.PoolCtlAsync("carriers", "flagged", "--flag", "binary");
        var badFlag = await fixture.PoolCtlAsync("carriers", "flagged", "--flag", "nonsense");

        Assert.Equal((SmppStatus.Ok, SmppStatus.Ok), (binaryStatus, unroutableStatus));
        Assert.Equal("0102FEFF", onLease.Text);
        Assert.Equal("", onLease.Code);
        Assert.True(flagged.Exit == 0, flagged.Err);
        Assert.Contains("Code 482913", flagged.Out, StringComparison.Ordinal);
        Assert.Contains("POOLDESK", flagged.Out, StringComparison.Ordinal);
        Assert.Contains("\"dataCoding\": 240", flagged.Out, StringComparison.Ordinal);
        Assert.Contains("0102FEFF", binaries.Out, StringComparison.Ordinal);
        Assert.Contains("0x04", binaries.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badFlag.Exit);
        Assert.Contains("flag", badFlag.Err, StringComparison.Ordinal);
    }
}

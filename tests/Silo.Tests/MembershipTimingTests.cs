using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Pool.Silo.Configuration;

namespace Pool.Silo.Tests;

public sealed class MembershipTimingTests
{
    private static PoolSettings Load(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Pool:Database:ConnectionString"] = "Host=127.0.0.1;Port=7432;Database=pool;Username=pool" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return PoolSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void The_defaults_detect_a_dead_silo_faster_than_Orleans_and_still_need_three_missed_probes_and_two_votes()
    {
        var ours = new ClusterMembershipOptions();
        Load().Cluster.Membership.ApplyTo(ours);
        var orleans = new ClusterMembershipOptions();

        Assert.True(ours.MinProbeTimeout * ours.NumMissedProbesLimit < orleans.MinProbeTimeout * orleans.NumMissedProbesLimit, "the probe periods before a vote are shorter than Orleans' own");
        Assert.Equal(3, ours.NumMissedProbesLimit);
        Assert.Equal(2, ours.NumVotesForDeathDeclaration);
        Assert.True(ours.TableRefreshTimeout < orleans.TableRefreshTimeout, "the membership table is re-read more often than Orleans' default");
    }

    [Fact]
    public void Settings_are_bound_from_Pool_Cluster_Membership()
    {
        var membership = Load(("Pool:Cluster:Membership:MinProbeTimeout", "00:00:00.500"), ("Pool:Cluster:Membership:NumMissedProbesLimit", "4")).Cluster.Membership;

        Assert.Equal(TimeSpan.FromMilliseconds(500), membership.MinProbeTimeout);
        Assert.Equal(4, membership.NumMissedProbesLimit);
    }

    [Theory]
    [InlineData("Pool:Cluster:Membership:MinProbeTimeout", "00:00:00.050", "Pool:Cluster:Membership:MinProbeTimeout must be at least 100 ms")]
    [InlineData("Pool:Cluster:Membership:MaxProbeTimeout", "00:00:00.500", "Pool:Cluster:Membership:MaxProbeTimeout (00:00:00.5000000) must not be shorter than Pool:Cluster:Membership:MinProbeTimeout")]
    [InlineData("Pool:Cluster:Membership:ProbeTimeout", "00:00:30", "Pool:Cluster:Membership:ProbeTimeout (00:00:30) must lie between")]
    [InlineData("Pool:Cluster:Membership:NumMissedProbesLimit", "1", "Pool:Cluster:Membership:NumMissedProbesLimit must be from 2 to 10")]
    [InlineData("Pool:Cluster:Membership:NumVotesForDeathDeclaration", "0", "Pool:Cluster:Membership:NumVotesForDeathDeclaration must be from 1 to 10")]
    [InlineData("Pool:Cluster:Membership:IAmAliveTablePublishTimeout", "00:00:00.200", "Pool:Cluster:Membership:IAmAliveTablePublishTimeout must be at least 1 s")]
    [InlineData("Pool:Cluster:Membership:TableRefreshTimeout", "00:00:00", "Pool:Cluster:Membership:TableRefreshTimeout must be at least 1 s")]
    [InlineData("Pool:Cluster:Membership:DeathVoteExpirationTimeout", "00:00:20", "Pool:Cluster:Membership:DeathVoteExpirationTimeout (00:00:20) must be at least")]
    public void A_bad_membership_setting_refuses_to_start_with_a_message_naming_it(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load((key, value)));

        Assert.Contains(error.Failures, failure => failure.Contains(expected, StringComparison.Ordinal));
    }
}

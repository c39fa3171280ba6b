namespace Pool.EndToEnd.Tests;

/// <summary>One running Pool with the default settings, shared by the tests of a class; tests use their own pools.</summary>
public sealed class PoolFixture() : HostFixture("e2e")
{
    private static int s_block;

    public string Address => Pool.GrpcAddress;

    /// <summary>A unique pool name and <paramref name="count"/> valid Hong Kong numbers nobody else uses.</summary>
    public static (string Pool, string[] Numbers) NewPool(int count)
    {
        var block = Interlocked.Increment(ref s_block);
        return ($"e2e-{block}-{Guid.NewGuid():n}"[..20], [.. Enumerable.Range(0, count).Select(i => $"+8526{block % 100:D2}{i:D5}")]);
    }
}

using Pool.Testing;

namespace Pool.Observability.Tests;

/// <summary>
/// Where tests keep what a person should be able to look at after a run (screenshots, the scraped
/// /metrics): <c>$POOL_TEST_ARTIFACTS</c>, else <c>tests/artifacts/</c> of the checkout (git-ignored).
/// </summary>
public static class Artifacts
{
    public static string Directory { get; } = Create();

    /// <summary>The full path of the artifact <paramref name="name"/>.</summary>
    public static string PathOf(string name) => Path.Combine(Directory, name);

    private static string Create()
    {
        var configured = Environment.GetEnvironmentVariable("POOL_TEST_ARTIFACTS");
        var directory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(Repository.Root, "tests", "artifacts") : Path.GetFullPath(configured);
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }
}

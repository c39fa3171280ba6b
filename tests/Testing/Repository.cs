namespace Pool.Testing;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding Pool.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Pool.sln above {AppContext.BaseDirectory}");
    }
}

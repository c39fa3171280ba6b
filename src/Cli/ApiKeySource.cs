namespace Pool.Cli;

/// <summary>
/// Where poolctl finds the API key, first found wins: --api-key, env POOL_API_KEY, the file named by
/// env POOL_API_KEY_FILE (scripts/poolctl points it at the repository's .data/admin.key), then
/// .data/admin.key in the current directory. No key found means no key sent.
/// </summary>
public static class ApiKeySource
{
    public const string KeyEnvironmentVariable = "POOL_API_KEY";
    public const string KeyFileEnvironmentVariable = "POOL_API_KEY_FILE";
    public const string LocalKeyFile = ".data/admin.key";

    /// <summary>The key to send (null for none), or an error that names where the bad key came from, never the key.</summary>
    public static (string? Key, string? Error) Resolve(string? option, Func<string, string?> environment, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Checked(option.Trim(), "--api-key");
        }

        if (environment(KeyEnvironmentVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Checked(fromEnvironment.Trim(), KeyEnvironmentVariable);
        }

        if (environment(KeyFileEnvironmentVariable) is { Length: > 0 } keyFile && File.Exists(keyFile))
        {
            return Read(keyFile, $"{KeyFileEnvironmentVariable} ({keyFile})");
        }

        var local = Path.Combine(currentDirectory, LocalKeyFile);
        return File.Exists(local) ? Read(local, local) : (null, null);
    }

    private static (string? Key, string? Error) Read(string path, string source)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the API key file {source}: {ex.Message}");
        }

        return string.IsNullOrWhiteSpace(text) ? (null, $"the API key file {source} is empty") : Checked(text.Trim(), source);
    }

    /// <summary>A key goes in an HTTP/2 header: visible ASCII only.</summary>
    private static (string? Key, string? Error) Checked(string key, string source) =>
        key.All(c => c is > ' ' and <= '~') ? (key, null) : (null, $"the API key from {source} is not a key: it holds spaces or characters other than printable ASCII");
}

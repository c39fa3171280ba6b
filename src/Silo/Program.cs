using Microsoft.Extensions.Options;
using Pool.Silo.Configuration;
using Pool.Silo.Database;
using Pool.Silo.Hosting;

try
{
    if (args is ["keys", "create-admin", ..])
    {
        // pool-silo keys create-admin: the first admin key (bootstrap), straight into the database.
        var settings = PoolSettings.Load(ToolConfiguration(args[2..]));
        var key = await AdminKeys.CreateAsync(settings.Database.ConnectionString);
        Console.WriteLine(key);
        return 0;
    }

    if (args is ["health", ..])
    {
        // pool-silo health [--url URL]: the container health check (exit 0 when /readyz answers 200 within 3 s).
        return await HealthCommand.RunAsync(args[1..], ToolConfiguration(args[1..]), Console.Out, Console.Error);
    }

    if (args is ["migrate", ..])
    {
        // pool-silo migrate: apply the schema and exit (the run script and the Kubernetes migrations job).
        var settings = PoolSettings.Load(ToolConfiguration(args[1..]));
        var result = await new SchemaMigrator(settings.Database.ConnectionString).MigrateAsync();
        Console.WriteLine(result.Applied.Count == 0
            ? $"Schema is up to date (version {result.SchemaVersion}); nothing to apply."
            : $"Applied {result.Applied.Count} migration(s): {string.Join(", ", result.Applied.Select(m => $"{m.Version:D4}_{m.Name}"))}; schema is at version {result.SchemaVersion}.");
        return 0;
    }

    var app = PoolHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Pool refuses to start: the configuration is invalid.");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"  - {failure}");
    }

    return 2;
}

static IConfiguration ToolConfiguration(string[] args) => new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

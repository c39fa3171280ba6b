using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Pool.Silo.Tests;

/// <summary>Every [LoggerMessage] of Pool's assemblies has its own event id, so an operator can filter on one.</summary>
public sealed class LogEventIdTests
{
    private static readonly string[] s_assemblies = ["Pool.Contracts", "Pool.Sms", "Pool.Carriers", "Pool.Grains", "Pool.Api", "pool-silo"];

    [Fact]
    public void Log_event_ids_are_unique_across_the_solution()
    {
        var events = s_assemblies
            .Select(Assembly.Load)
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();

        Assert.True(events.Count > 50, $"expected Pool's log messages to be found; found {events.Count}");
        Assert.True(shared.Count == 0, "event ids used more than once: " + string.Join("; ", shared));
    }
}

using System.Reflection;
using Pool.Grains.Numbers;

namespace Pool.Grains.Tests;

public sealed class StateNameTests
{
    /// <summary>
    /// The ADO.NET storage keys a row by grain key and state name, not grain type: two grain classes
    /// sharing a state name would share (and corrupt) rows. Every state name must be unique.
    /// </summary>
    [Fact]
    public void Every_persistent_state_name_is_unique_across_the_grains()
    {
        var names = typeof(NumberGrain).Assembly.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => p.GetCustomAttribute<PersistentStateAttribute>())
            .OfType<PersistentStateAttribute>()
            .Select(a => a.StateName)
            .ToList();

        Assert.NotEmpty(names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("state", names);
    }
}

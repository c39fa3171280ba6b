namespace Pool.Testing;

/// <summary>Waits for a condition with a bound, failing with a message that says what was expected.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string expected)
    {
        var deadline = DateTime.UtcNow + within;
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"Expected {expected} within {within.TotalSeconds:0.#} s; last observed: {last}");
    }
}

namespace Pool.Silo.Configuration;

internal static class Ports
{
    public static IEnumerable<string> Check(string setting, int port)
    {
        if (port is < 1 or > 65535)
        {
            yield return $"{setting} must be a port from 1 to 65535 (was {port})";
        }
    }
}

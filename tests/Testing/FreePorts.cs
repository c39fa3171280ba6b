using System.Net;
using System.Net.Sockets;

namespace Pool.Testing;

/// <summary>Ports nobody is listening on right now (the machine is shared: never assume a fixed port is free).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int[] Take(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(Next());
        }

        return [.. ports];
    }
}

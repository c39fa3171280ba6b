namespace Pool.Silo.Hosting;

/// <summary>How many silo gateways the cluster client of an api-role process is connected to right now.</summary>
public sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private int _gateways;

    public int ConnectedGateways => Volatile.Read(ref _gateways);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _gateways, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _gateways, 0);
}

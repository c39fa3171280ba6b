using System.Net.Sockets;
using Npgsql;
using Orleans.Storage;
using Pool.Contracts.Errors;

namespace Pool.Grains.Tests;

/// <summary>What a test grain throws, to watch what its caller receives.</summary>
[GenerateSerializer, Alias("pool.tests.Fault")]
public enum Fault
{
    DatabaseUnreachable = 0,
    EtagConflict = 1,
    Timeout = 2,
    StorageProviderError = 3,
    Refusal = 4,
    Bug = 5,
}

/// <summary>A grain that throws what it is told to, as a grain method would when its dependency fails.</summary>
[Alias("pool.tests.IFaultingGrain")]
public interface IFaultingGrain : IGrainWithStringKey
{
    [Alias("Throw")]
    Task ThrowAsync(Fault fault);
}

public sealed class FaultingGrain : Grain, IFaultingGrain
{
    /// <summary>Driver text that must never reach a caller.</summary>
    public const string DriverText = "Failed to connect to 127.0.0.1:5999 for user secret-user";

    public Task ThrowAsync(Fault fault) => throw (fault switch
    {
        Fault.DatabaseUnreachable => new NpgsqlException(DriverText, new SocketException((int)SocketError.ConnectionRefused)),
        Fault.EtagConflict => new InconsistentStateException(DriverText),
        Fault.Timeout => new TimeoutException(DriverText),
        Fault.StorageProviderError => new OrleansException($"Error from storage provider AdoNetGrainStorage.pool during ReadStateAsync: {DriverText}", new NpgsqlException(DriverText)),
        Fault.Refusal => new PoolException(PoolErrorCode.NotFound, "lease ls_0 does not exist"),
        _ => (Exception)new InvalidOperationException("a bug"),
    });
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pool.Carriers.Smpp;

/// <summary>
/// The "Pool.Smpp" meter, for the binds of this process: <c>pool.smpp.binds</c> (1 for the
/// connection's current state — disconnected, connecting, bound, stopped — 0 for the others),
/// <c>pool.smpp.submits</c> (submit_sm by connection and result: the command_status name such as
/// ESME_ROK or ESME_RTHROTTLED, or timeout, connection_lost, not_connected) and
/// <c>pool.smpp.window.in_use</c> (submit_sm awaiting their answer, by connection).
/// </summary>
public static class SmppMetrics
{
    public const string MeterName = "Pool.Smpp";

    private static readonly string[] s_states = [.. Enum.GetValues<EsmeState>().Select(Name)];
    private static readonly ConcurrentDictionary<SmppBinds, bool> s_hosts = new();
    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_submits = s_meter.CreateCounter<long>("pool.smpp.submits", "{submit}", "submit_sm answered, by connection and command_status name");

    static SmppMetrics()
    {
        s_meter.CreateObservableGauge("pool.smpp.binds", ObserveStates, "{bind}", "1 for the bind's current state (disconnected, connecting, bound, stopped), 0 for the others");
        s_meter.CreateObservableGauge("pool.smpp.window.in_use", ObserveWindows, "{submit}", "submit_sm sent and not yet answered, by connection");
    }

    /// <summary>The state as a label value: disconnected, connecting, bound, stopped.</summary>
    public static string Name(EsmeState state) => state.ToString().ToLowerInvariant();

    internal static void Track(SmppBinds binds) => s_hosts[binds] = true;

    internal static void Forget(SmppBinds binds) => s_hosts.TryRemove(binds, out _);

    internal static void Submitted(string connection, string result) =>
        s_submits.Add(1, new KeyValuePair<string, object?>("connection", connection), new KeyValuePair<string, object?>("result", result));

    private static IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var bind in s_hosts.Keys.SelectMany(host => host.All))
        {
            var current = Name(bind.Client.State);
            foreach (var state in s_states)
            {
                yield return new Measurement<int>(
                    state == current ? 1 : 0, new KeyValuePair<string, object?>("connection", bind.Name), new KeyValuePair<string, object?>("state", state));
            }
        }
    }

    private static IEnumerable<Measurement<int>> ObserveWindows() =>
        s_hosts.Keys.SelectMany(host => host.All)
            .Select(bind => new Measurement<int>(bind.Client.WindowInUse, new KeyValuePair<string, object?>("connection", bind.Name)));
}

using System.Diagnostics.Metrics;

namespace Pool.Carriers;

/// <summary>
/// The carrier side's meters (meter <see cref="MeterName"/>): what SMSCs and HTTP carriers sent and what
/// Pool answered. Labels never carry a number, a code or a message text.
/// </summary>
public static class CarrierMetrics
{
    public const string MeterName = "Pool.Carriers";

    private static readonly Meter s_meter = new(MeterName);

    private static readonly Counter<long> s_refused = s_meter.CreateCounter<long>(
        "pool.carrier.pdus.refused", description: "PDUs refused for good because they are malformed (deliver_sm: ESME_RX_P_APPN), by command and the field that could not be read");

    private static readonly Counter<long> s_deliveries = s_meter.CreateCounter<long>(
        "pool.carrier.deliveries", description: "deliver_sm/data_sm and HTTP posts from carriers by kind (mo, part, report) and outcome (stored, retry: not stored, the carrier was told to send it again)");

    public static void Refused(string command, string field) =>
        s_refused.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("field", field.Length == 0 ? "body" : field));

    public static void Delivery(string connection, string kind, bool stored) =>
        s_deliveries.Add(
            1,
            new KeyValuePair<string, object?>("connection", connection),
            new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("outcome", stored ? "stored" : "retry"));
}

namespace Pool.Contracts.Inbound;

/// <summary>
/// One concatenated SMS being reassembled (key: carrier, sender, recipient, reference and total). Its
/// parts are persisted as they arrive, so an accepted part survives a crash; the message enters the
/// inbound pipeline once every part is there, or incomplete when the wait for missing parts times out.
/// </summary>
[Alias("pool.IConcatenationGrain")]
public interface IConcatenationGrain : IGrainWithStringKey
{
    [Alias("AddPart")]
    Task<InboundResult> AddPartAsync(InboundPart part);
}

public static class ConcatenationKeys
{
    /// <summary>
    /// The grain key of a concatenated message: carrier, reference and total, and a hash of sender and
    /// recipient (a grain id shows up in logs and the dashboard; a phone number must not).
    /// </summary>
    public static string Of(InboundPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var m = part.Message;
        var parties = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{m.Sender}\n{m.Number}"));
        return $"{m.Carrier}/{Convert.ToHexStringLower(parties.AsSpan(0, 12))}/{part.Reference}/{part.Total}";
    }
}

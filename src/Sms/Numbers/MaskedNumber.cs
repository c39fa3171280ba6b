namespace Pool.Sms.Numbers;

/// <summary>
/// A phone number on its way to a log line or a trace: it only ever prints masked (<c>+852****4567</c>).
/// Log methods take this type rather than a string, so a full number cannot reach a log by mistake,
/// and the masking work happens only when the line is actually written.
/// </summary>
public readonly record struct MaskedNumber(string Number)
{
    public override string ToString() => E164.Mask(Number);
}

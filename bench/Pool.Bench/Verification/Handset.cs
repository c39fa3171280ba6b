using Pool.Carriers.Simulator;
using Pool.Sms.Otp;

namespace Pool.Bench.Verification;

/// <summary>
/// The end user's handset, as the end-to-end tests read it: what the embedded simulator's SMSC accepted for
/// a route (<see cref="EmbeddedSimulator.SubmissionsOf"/>, destinations in full, in this process), the code
/// read from the text with <see cref="OtpExtractor"/>. The API never returns a code; this is the only way
/// the benchmark learns it, as a person would read it off the phone.
/// </summary>
internal sealed class Handset(EmbeddedSimulator simulator, string route)
{
    /// <summary>The code in the newest SMS the route accepted for <paramref name="number"/>, or null when none has arrived.</summary>
    public string? CodeFor(string number)
    {
        var digits = number.AsSpan().TrimStart('+');
        var submissions = simulator.SubmissionsOf(route);
        for (var i = submissions.Count - 1; i >= 0; i--)
        {
            if (submissions[i].To.AsSpan().TrimStart('+').SequenceEqual(digits))
            {
                return OtpExtractor.Read(submissions[i].Text).Code;
            }
        }

        return null;
    }
}

using Pool.Sms.Smpp;

namespace Pool.Carriers.Simulator;

/// <summary>
/// Faults a <see cref="SmscSimulator"/> injects, swapped whole at run time with
/// <see cref="SmscSimulator.SetFaults"/>. Rates are probabilities from 0 to 1, drawn per submit (or per
/// receipt) from the simulator's seedable random source.
/// </summary>
public sealed record SimulatorFaults
{
    /// <summary>A healthy SMSC.</summary>
    public static SimulatorFaults None { get; } = new();

    /// <summary>Added before every submit_sm is answered.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Share of submits refused with <see cref="SubmitErrorStatus"/>.</summary>
    public double SubmitErrorRate { get; init; }

    /// <summary>The status refused submits get; ESME_RSYSERR unless set.</summary>
    public uint SubmitErrorStatus { get; init; } = SmppStatus.SystemError;

    /// <summary>Share of submits answered ESME_RTHROTTLED.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>While true, bound sessions are dropped and binds are refused with ESME_RBINDFAIL.</summary>
    public bool Outage { get; init; }

    /// <summary>Share of accepted messages whose receipt says stat:UNDELIV instead of DELIVRD.</summary>
    public double DlrFailureRate { get; init; }

    /// <summary>While true, enquire_link goes unanswered: a link that is up but hung.</summary>
    public bool IgnoreEnquireLink { get; init; }

    /// <summary>Every problem, each naming the setting; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Latency < TimeSpan.Zero)
        {
            problems.Add($"{nameof(Latency)} must not be negative; it is {Latency}.");
        }

        CheckRate(problems, nameof(SubmitErrorRate), SubmitErrorRate);
        CheckRate(problems, nameof(ThrottleRate), ThrottleRate);
        CheckRate(problems, nameof(DlrFailureRate), DlrFailureRate);
        if (SubmitErrorStatus == SmppStatus.Ok)
        {
            problems.Add($"{nameof(SubmitErrorStatus)} must be an error status, not ESME_ROK.");
        }

        return problems;
    }

    private static void CheckRate(List<string> problems, string name, double rate)
    {
        if (double.IsNaN(rate) || rate is < 0 or > 1)
        {
            problems.Add($"{name} must be between 0 and 1; it is {rate}.");
        }
    }
}

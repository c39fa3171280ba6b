namespace Pool.Grains.Routes;

/// <summary>How messages are routed (configuration section "Pool:Routes").</summary>
public sealed class RouteSelectionOptions
{
    public const string Section = "Pool:Routes";

    /// <summary>How long a silo's cached view of a route's health is trusted; every outcome recorded through the silo refreshes it at once.</summary>
    public TimeSpan RouteRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo's cached copy of a country's route table and route definitions is trusted.</summary>
    public TimeSpan TableRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Routes one message is tried on before the send is refused (a failed submit moves on to the next usable route).</summary>
    public int MaxAttempts { get; set; } = 2;

    /// <summary>
    /// The longest route selection waits for a gateway's answer to one submit: the carrier's own answer
    /// (which the gateway bounds, e.g. an ESME's response timeout, and reports as a timeout, a carrier
    /// failure) plus the time the gateway waits for a free place in the bind's window and out a
    /// throttle pause (an ESME backs off up to 8 s per throttled try). When it passes first, the bind is
    /// congested, not failing: the attempt counts as throttled (it slows the route's score and the
    /// message moves to the next route, but it never opens the breaker). So it must exceed the carrier's
    /// answer timeout; the default leaves room for a 10 s response timeout and the backoff.
    /// </summary>
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A status report matches the newest unsettled part with its carrier message id submitted at most
    /// this long before the report (an SMSC that restarts its id counter reuses ids; receipts can come
    /// days late, carriers keep trying for up to 72 hours).
    /// </summary>
    public TimeSpan ReceiptMatchWindow { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// A report that matched no part (it overtook its submit's record) is claimed by a submit of its id
    /// recorded at most this long after the report: long enough for any submit still being recorded,
    /// short enough that a stray report is not pinned on a later message that reuses its id.
    /// </summary>
    public TimeSpan PendingReportWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A report with the same connection, carrier message id, kind and state as one stored less than this
    /// apart is a repeat (carriers resend reports they did not see acknowledged), unless another part
    /// was submitted under that id since the first one.
    /// </summary>
    public TimeSpan ReportRepeatWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A part settled at least this long ago whose owner was not told (its silo died after settling it,
    /// or the owner call failed) is told by the owner sweep, a reminder that runs every minute; the
    /// grace lets the caller that settled it tell the owner first. At most one minute, so an owner hears
    /// within two minutes of the settlement, inside the shortest verification lifetime.
    /// </summary>
    public TimeSpan OwnerNoticeGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The report windows as the outbound store takes them.</summary>
    public ReportWindows ReportWindows => new(ReceiptMatchWindow, PendingReportWindow, ReportRepeatWindow);

    public IEnumerable<string> Validate()
    {
        if (RouteRefresh <= TimeSpan.Zero || TableRefresh <= TimeSpan.Zero)
        {
            yield return $"{Section}:RouteRefresh and {Section}:TableRefresh must be positive";
        }

        if (MaxAttempts is < 1 or > 5)
        {
            yield return $"{Section}:MaxAttempts must be between 1 and 5";
        }

        if (SubmitTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:SubmitTimeout must be positive";
        }

        if (ReceiptMatchWindow <= TimeSpan.Zero || PendingReportWindow <= TimeSpan.Zero || ReportRepeatWindow <= TimeSpan.Zero)
        {
            yield return $"{Section}:ReceiptMatchWindow, {Section}:PendingReportWindow and {Section}:ReportRepeatWindow must be positive";
        }

        if (PendingReportWindow > ReceiptMatchWindow)
        {
            yield return $"{Section}:PendingReportWindow must not exceed {Section}:ReceiptMatchWindow";
        }

        if (OwnerNoticeGrace <= TimeSpan.Zero || OwnerNoticeGrace > TimeSpan.FromMinutes(1))
        {
            yield return $"{Section}:OwnerNoticeGrace must be positive and at most 00:01:00";
        }
    }
}

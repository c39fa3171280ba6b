using System.Globalization;

namespace Pool.Bench.Reporting;

/// <summary>Whether a measured value must reach its target from below (at least) or stay under it (at most).</summary>
internal enum GoalComparison
{
    AtLeast,
    AtMost,
}

/// <summary>
/// One target of a scenario's goal: a measure (its unit named in <see cref="Unit"/>), the target, the value
/// this run measured (null: not measured in this run, e.g. a pool size not run), and whether it was met
/// (null when not measured).
/// </summary>
internal sealed record GoalCheck(string Measure, GoalComparison Comparison, double Target, double? Value, string Unit)
{
    public bool? Met => Value is not { } value ? null : Comparison == GoalComparison.AtLeast ? value >= Target : value <= Target;

    /// <summary>"≥ 0.25", "≤ 60 s".</summary>
    public string TargetText => $"{(Comparison == GoalComparison.AtLeast ? "≥" : "≤")} {Number(Target)}{(Unit.Length == 0 ? "" : " " + Unit)}";

    internal static string Number(double value) =>
        value >= 1_000 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.0##", CultureInfo.InvariantCulture);
}

/// <summary>
/// What a scenario aims at: its targets (<see cref="Checks"/>) and whether this run met them: true when every
/// target measured was met and at least one was, false when one was missed, null when none was measured.
/// </summary>
internal sealed record Goal(IReadOnlyList<GoalCheck> Checks)
{
    public bool? Met =>
        Checks.Any(c => c.Met == false) ? false
        : Checks.Any(c => c.Met == true) ? true
        : null;

    /// <summary>"cycles/s ÷ upserts/s ≥ 0.33; …".</summary>
    public string Text => string.Join("; ", Checks.Select(c => $"{c.Measure} {c.TargetText}"));

    /// <summary>"met", "not met" or "not measured".</summary>
    public static string Verdict(bool? met) => met switch
    {
        true => "met",
        false => "not met",
        null => "not measured",
    };
}

/// <summary>The goals of the scenarios that have one, with where each comes from.</summary>
internal static class Goals
{
    /// <summary>Issue 13: lease + release cycles per second at a third of PostgreSQL's single-row upserts per second.</summary>
    public const double CyclesPerUpsert = 0.33;

    /// <summary>Verification cycles (start + check) per second at a quarter of the upserts per second.</summary>
    public const double VerifyCyclesPerUpsert = 0.25;

    /// <summary>A million numbers provisioned through AddNumbers within a minute.</summary>
    public const double MillionImportSeconds = 60;

    /// <summary>CreateLease's p50 with a million numbers at most 1.2 times its p50 with ten thousand.</summary>
    public const double LeaseP50Growth = 1.2;

    /// <summary>The bench process (silo, API and load generator) under 1.5 GB resident.</summary>
    public const double ResidentGigabytes = 1.5;

    /// <summary>One-time code extraction: 200,000 messages per second on one core.</summary>
    public const double OtpMessagesPerSecond = 200_000;

    /// <summary>One bind submits at least 150/s with a window of 10 at 50 ms, i.e. 75 % of window ÷ latency, through the silo.</summary>
    public const double SubmitShareOfCeiling = 0.75;

    /// <summary>The pool size the scaling ratio compares with, and the one the import and lease goals are about.</summary>
    public const int ScalingBaseSize = 10_000;

    public const int ScalingGoalSize = 1_000_000;

    public static Goal Cycles(double? ratio) =>
        new([new GoalCheck("cycles/s ÷ upserts/s", GoalComparison.AtLeast, CyclesPerUpsert, ratio, "")]);

    public static Goal VerifyCycle(double? ratio) =>
        new([new GoalCheck("verify cycles/s ÷ upserts/s", GoalComparison.AtLeast, VerifyCyclesPerUpsert, ratio, "")]);

    public static Goal Scaling(double? importSeconds, double? leaseP50Ratio, double? residentGigabytes) =>
        new([
            new GoalCheck($"import of {ScalingGoalSize:N0} numbers", GoalComparison.AtMost, MillionImportSeconds, importSeconds, "s"),
            new GoalCheck($"CreateLease p50 at {ScalingGoalSize:N0} ÷ at {ScalingBaseSize:N0}", GoalComparison.AtMost, LeaseP50Growth, leaseP50Ratio, ""),
            new GoalCheck("process resident memory (VmHWM, largest pool size)", GoalComparison.AtMost, ResidentGigabytes, residentGigabytes, "GB"),
        ]);

    public static Goal Otp(double ratio) =>
        new([new GoalCheck($"messages/s ÷ {OtpMessagesPerSecond:N0}", GoalComparison.AtLeast, 1, ratio, "")]);

    public static Goal SmppSubmit(double? shareOfCeiling) =>
        new([new GoalCheck("silo submits/s ÷ (window ÷ latency)", GoalComparison.AtLeast, SubmitShareOfCeiling, shareOfCeiling, "")]);
}

using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Pool.V1;

namespace Pool.Cli.Commands;

/// <summary>
/// The pool policy as options, shared by pools create and pools policy. Only the options given are
/// applied; the server checks the ranges and names a bad field as policy.&lt;name&gt;.
/// </summary>
internal sealed class PolicyOptions
{
    public const string Never = "never";

    private readonly Option<string?> _defaultTtl = new("--default-ttl") { Description = "Lease time when a request names none (default 20m; 1m to 24h)." };
    private readonly Option<string?> _maxLease = new("--max-lease") { Description = "Longest a lease may live, extensions included (default 2h; up to 7d)." };
    private readonly Option<string?> _cooldown = new("--cooldown") { Description = "Rest after a lease before the number is leased again (default 5m; 0 to 30d)." };
    private readonly Option<int?> _maxUses = WholeNumbers.Optional("--max-uses", "Leases a number serves before it is rotated out (default 100).");
    private readonly Option<string?> _reuseWindow = new("--reuse-window") { Description = $"How long before a number may serve the same service again, e.g. 30d, or '{Never}' (the default)." };
    private readonly Option<int?> _silentLeaseLimit = WholeNumbers.Optional("--silent-lease-limit", "Consecutive leases without any SMS before the number is watchlisted (default 3).");
    private readonly Option<int?> _badNumberLimit = WholeNumbers.Optional("--bad-number-limit", "Client bad-number reports before the number is watchlisted (default 2).");
    private readonly Option<int?> _floodPerHour = WholeNumbers.Optional("--flood-per-hour", "Messages in one hour that make a number a flood suspect (default 60).");
    private readonly Option<string?> _quarantine = new("--quarantine") { Description = "How long an automatic watchlisting lasts (default 24h; 1m to 365d)." };
    private readonly Option<int?> _maxOffences = WholeNumbers.Optional("--max-offences", "Watchlistings after which a number is retired for good (default 3).");
    private readonly Option<string?> _messageRetention = new("--message-retention") { Description = "How long the text of received SMS is kept before it is purged (default 30d; 1h to 3650d)." };
    private readonly Option<bool?> _slideOnMessage = new("--slide-on-message") { Description = "Whether an inbound SMS pushes the lease's expiry forward (default false; '--slide-on-message false' turns it off)." };

    public void AddTo(Command command)
    {
        System.CommandLine.Option[] options = [_defaultTtl, _maxLease, _cooldown, _maxUses, _reuseWindow, _silentLeaseLimit, _badNumberLimit, _floodPerHour, _quarantine, _maxOffences, _slideOnMessage, _messageRetention];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether any policy option was given.</summary>
    public bool AnyGiven(ParseResult parse) =>
        parse.GetValue(_defaultTtl) is not null || parse.GetValue(_maxLease) is not null || parse.GetValue(_cooldown) is not null
        || parse.GetValue(_maxUses) is not null || parse.GetValue(_reuseWindow) is not null || parse.GetValue(_silentLeaseLimit) is not null
        || parse.GetValue(_badNumberLimit) is not null || parse.GetValue(_floodPerHour) is not null || parse.GetValue(_quarantine) is not null
        || parse.GetValue(_maxOffences) is not null || parse.GetValue(_slideOnMessage) is not null || parse.GetValue(_messageRetention) is not null;

    /// <summary>Sets the given options on <paramref name="policy"/>; returns a message per option that does not parse.</summary>
    public IReadOnlyList<string> ApplyTo(ParseResult parse, PoolPolicy policy)
    {
        var errors = new List<string>();
        SetDuration(parse, _defaultTtl, errors, value => policy.DefaultTtl = value);
        SetDuration(parse, _maxLease, errors, value => policy.MaxLeaseTime = value);
        SetDuration(parse, _cooldown, errors, value => policy.Cooldown = value);
        SetDuration(parse, _quarantine, errors, value => policy.Quarantine = value);
        SetDuration(parse, _messageRetention, errors, value => policy.MessageRetention = value);
        if (parse.GetValue(_reuseWindow) is { } window && window.Trim().Equals(Never, StringComparison.OrdinalIgnoreCase))
        {
            policy.ReuseWindow = null;
        }
        else
        {
            SetDuration(parse, _reuseWindow, errors, value => policy.ReuseWindow = value, $" or '{Never}'");
        }

        if (parse.GetValue(_maxUses) is { } maxUses)
        {
            policy.MaxUses = maxUses;
        }

        if (parse.GetValue(_silentLeaseLimit) is { } silent)
        {
            policy.SilentLeaseLimit = silent;
        }

        if (parse.GetValue(_badNumberLimit) is { } bad)
        {
            policy.BadNumberLimit = bad;
        }

        if (parse.GetValue(_floodPerHour) is { } flood)
        {
            policy.FloodMessagesPerHour = flood;
        }

        if (parse.GetValue(_maxOffences) is { } offences)
        {
            policy.MaxOffences = offences;
        }

        if (parse.GetValue(_slideOnMessage) is { } slide)
        {
            policy.SlideOnMessage = slide;
        }

        return errors;
    }

    private static void SetDuration(ParseResult parse, Option<string?> option, List<string> errors, Action<Duration> set, string alternative = "")
    {
        if (parse.GetValue(option) is not { } text)
        {
            return;
        }

        if (Durations.TryParse(text, out var duration, allowZero: true))
        {
            set(Duration.FromTimeSpan(duration.Value));
        }
        else
        {
            errors.Add($"{option.Name} '{text}' is not a duration; {Durations.Hint}{alternative}");
        }
    }
}

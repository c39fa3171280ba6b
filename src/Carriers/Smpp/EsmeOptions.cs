namespace Pool.Carriers.Smpp;

/// <summary>How an <see cref="EsmeClient"/> reaches and talks to one carrier's SMSC.</summary>
public class EsmeOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 2775;

    /// <summary>The account the SMSC knows us by; at most 15 characters.</summary>
    public string SystemId { get; set; } = "";

    /// <summary>At most 8 characters.</summary>
    public string Password { get; set; } = "";

    /// <summary>At most 12 characters; usually empty.</summary>
    public string SystemType { get; set; } = "";

    /// <summary>How many requests may wait for a response at once; submits beyond it wait for a slot.</summary>
    public int WindowSize { get; set; } = 10;

    /// <summary>How often the link is probed with enquire_link.</summary>
    public TimeSpan EnquireLinkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long any request waits for its response (bind, submit_sm, enquire_link, unbind).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before reconnecting; it doubles per failed attempt, with jitter.</summary>
    public TimeSpan ReconnectMinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts.</summary>
    public TimeSpan ReconnectMaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first pause after ESME_RTHROTTLED; it doubles per throttled retry of the same part.</summary>
    public TimeSpan ThrottleBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many times one part is retried after ESME_RTHROTTLED before the submit fails.</summary>
    public int MaxThrottleRetries { get; set; } = 5;

    /// <summary>The largest PDU accepted from the SMSC.</summary>
    public int MaxCommandLength { get; set; } = Pool.Sms.Smpp.SmppCodec.DefaultMaxCommandLength;

    /// <summary>Whether to ask for delivery receipts (registered_delivery 1).</summary>
    public bool RequestDeliveryReceipts { get; set; } = true;

    /// <summary>Every problem with these options, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            problems.Add($"{nameof(Host)} is required.");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add($"{nameof(Port)} must be 1–65535; it is {Port}.");
        }

        CheckLength(problems, nameof(SystemId), SystemId, 15, required: true);
        CheckLength(problems, nameof(Password), Password, 8, required: false);
        CheckLength(problems, nameof(SystemType), SystemType, 12, required: false);
        if (WindowSize is < 1 or > 1000)
        {
            problems.Add($"{nameof(WindowSize)} must be 1–1000; it is {WindowSize}.");
        }

        CheckPositive(problems, nameof(EnquireLinkInterval), EnquireLinkInterval);
        CheckPositive(problems, nameof(ResponseTimeout), ResponseTimeout);
        CheckPositive(problems, nameof(ReconnectMinBackoff), ReconnectMinBackoff);
        CheckPositive(problems, nameof(ThrottleBackoff), ThrottleBackoff);
        if (ReconnectMaxBackoff < ReconnectMinBackoff)
        {
            problems.Add($"{nameof(ReconnectMaxBackoff)} ({ReconnectMaxBackoff}) must not be below {nameof(ReconnectMinBackoff)} ({ReconnectMinBackoff}).");
        }

        if (MaxThrottleRetries is < 0 or > 100)
        {
            problems.Add($"{nameof(MaxThrottleRetries)} must be 0–100; it is {MaxThrottleRetries}.");
        }

        if (MaxCommandLength is < 1024 or > 16 * 1024 * 1024)
        {
            problems.Add($"{nameof(MaxCommandLength)} must be 1 KiB–16 MiB; it is {MaxCommandLength}.");
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid EsmeOptions: " + string.Join(" ", problems));
        }
    }

    private static void CheckLength(List<string> problems, string name, string value, int max, bool required)
    {
        if (value is null || (required && value.Length == 0))
        {
            problems.Add($"{name} is required.");
        }
        else if (value.Length > max)
        {
            problems.Add($"{name} must be at most {max} characters; it is {value.Length}.");
        }
    }

    private static void CheckPositive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive; it is {value}.");
        }
    }
}

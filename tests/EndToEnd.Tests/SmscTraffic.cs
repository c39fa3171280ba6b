using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Pool.Carriers.Simulator;
using Pool.Sms.Smpp;

namespace Pool.EndToEnd.Tests;

/// <summary>One MO message or delivery receipt an SMSC has to hand over, and what became of it.</summary>
internal sealed class SmscDelivery(bool receipt, string subject)
{
    /// <summary>A delivery receipt (else an MO message).</summary>
    public bool Receipt { get; } = receipt;

    /// <summary>The MO message's text (distinct per message) or the receipt's message id.</summary>
    public string Subject { get; } = subject;

    public int Attempts { get; set; }

    /// <summary>Whether the SMSC got ESME_ROK for it (and so dropped it from its retry queue).</summary>
    public bool Acknowledged { get; set; }

    /// <summary>When the attempt that was acknowledged began.</summary>
    public DateTimeOffset? AcknowledgedAttemptAt { get; set; }
}

/// <summary>
/// The traffic of one SMSC towards Pool, with the SMSC's retry queue: several senders each deliver distinct
/// MO messages (or delivery receipts) one after another, and one that is not acknowledged ESME_ROK —
/// answered with an error, not answered in time, cut off with its session, or not sent because no ESME is
/// bound — is delivered again after a pause, up to a bounded number of attempts and a bounded time.
/// </summary>
internal sealed class SmscTraffic(SmscSimulator smsc, IReadOnlyList<string> numbers)
{
    /// <summary>The SMSC's pause before delivering an unacknowledged message again.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one message is retried before the SMSC gives up on it.</summary>
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(40);

    public const int MaxAttempts = 200;

    private readonly ConcurrentQueue<SmscDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _acknowledgedMos;
    private int _acknowledgedReceipts;

    public IReadOnlyList<SmscDelivery> Deliveries => [.. _deliveries];

    public int AcknowledgedMos => Volatile.Read(ref _acknowledgedMos);

    public int AcknowledgedReceipts => Volatile.Read(ref _acknowledgedReceipts);

    /// <summary>Failed attempts by what the SMSC saw.</summary>
    public IReadOnlyDictionary<string, int> Failures => new Dictionary<string, int>(_failures, StringComparer.Ordinal);

    /// <summary>The text of the <paramref name="sequence"/>th MO message of <paramref name="sender"/>: a code no other message has.</summary>
    public static string MoText(int sender, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"Your Telegram code is {1_000_000 + (sender * 100_000) + sequence}");

    /// <summary>Delivers MO messages from one handset until <paramref name="stop"/>; the message in hand is finished first.</summary>
    public async Task SendMosAsync(int sender, CancellationToken stop)
    {
        var from = string.Create(CultureInfo.InvariantCulture, $"+8529800{sender:D4}");
        var to = numbers[sender % numbers.Count];
        for (var sequence = 0; sequence < 100_000 && !stop.IsCancellationRequested; sequence++)
        {
            var delivery = new SmscDelivery(receipt: false, MoText(sender, sequence));
            _deliveries.Enqueue(delivery);
            if (await DeliverAsync(delivery, async () => await smsc.SendMoAsync(from, to, delivery.Subject) == 1))
            {
                Interlocked.Increment(ref _acknowledgedMos);
            }
        }
    }

    /// <summary>Delivers receipts with ids of their own until <paramref name="stop"/>; the receipt in hand is finished first.</summary>
    public async Task SendReceiptsAsync(int sender, CancellationToken stop)
    {
        var handset = string.Create(CultureInfo.InvariantCulture, $"+8529700{sender:D4}");
        for (var sequence = 0; sequence < 100_000 && !stop.IsCancellationRequested; sequence++)
        {
            var id = (0x70000000L + (sender * 0x100000L) + sequence).ToString("X", CultureInfo.InvariantCulture);
            var delivery = new SmscDelivery(receipt: true, id);
            _deliveries.Enqueue(delivery);
            if (await DeliverAsync(delivery, async () => await smsc.SendReceiptAsync(id, handset, "Pool") == SmppStatus.Ok))
            {
                Interlocked.Increment(ref _acknowledgedReceipts);
            }
        }
    }

    /// <summary>Attempts <paramref name="delivery"/> until it is acknowledged or the SMSC gives up; true when acknowledged.</summary>
    private async Task<bool> DeliverAsync(SmscDelivery delivery, Func<Task<bool>> attempt)
    {
        var retrying = Stopwatch.StartNew();
        while (true)
        {
            delivery.Attempts++;
            var startedAt = DateTimeOffset.UtcNow;
            string failure;
            try
            {
                if (await attempt())
                {
                    delivery.Acknowledged = true;
                    delivery.AcknowledgedAttemptAt = startedAt;
                    return true;
                }

                failure = "answered with an error";
            }
            catch (InvalidOperationException)
            {
                failure = "no ESME bound";
            }
            catch (TimeoutException)
            {
                failure = "no answer in time";
            }
            catch (IOException)
            {
                failure = "session closed before the answer";
            }

            _failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
            if (delivery.Attempts >= MaxAttempts || retrying.Elapsed >= RetryBudget)
            {
                return false;
            }

            // The SMSC's retry interval: the message waits in its queue, then goes out again.
            await Task.Delay(RetryPause);
        }
    }
}

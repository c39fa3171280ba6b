using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Grains.Persistence;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;

namespace Pool.Grains.Inbound;

/// <summary>
/// Reassembles the concatenated messages of one key (carrier, parties, reference, total). Every part
/// is persisted before it is acknowledged; the whole message enters the inbound pipeline when the last
/// part arrives, or incomplete when the timeout passes (a grain timer while active, a reminder after a
/// crash), with a carrier message id derived from its parts' contents, so a retried release is a
/// duplicate there and another message is not.
/// <para>
/// An 8-bit reference repeats: the same sender can send a new long message with the same reference
/// seconds later. So a part is judged by its content digest (text, and raw user data when present),
/// never dropped unless it is provably the same part again: the same sequence with the same digest in
/// the open message, or in a message released within ten timeouts while no message is open. A part
/// whose sequence the open message already holds with other content starts a new message (the open
/// one is released incomplete first). A part that repeats a released one is acknowledged as a duplicate
/// but held (persisted) for one timeout: if a new message with the same reference opens meanwhile
/// (a code template's first part is the same every time), it takes the held part into its empty place.
/// </para>
/// </summary>
public sealed class ConcatenationGrain(
    [PersistentState("concatenation", PoolStorage.Name)] IPersistentState<ConcatenationState> state,
    IOptions<InboundOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<ConcatenationGrain> logger) : Grain, IConcatenationGrain, IRemindable
{
    private const string ReminderName = "concatenation-timeout";

    /// <summary>Released messages remembered at most (the oldest is forgotten first): a bound on the state, not a rule.</summary>
    private const int MaxReleased = 32;

    /// <summary>How soon a release that failed (the message store was unavailable) is tried again.</summary>
    private static readonly TimeSpan RetryRelease = TimeSpan.FromSeconds(5);

    private IGrainTimer? _timer;

    private TimeSpan Timeout => options.Value.ConcatenationTimeout;

    private TimeSpan Memory => Timeout * 10;

    private ConcatenationState S => state.State;

    private bool IsOpen => S.First is not null;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.ReleasedAt is not null)
        {
            // The form older versions wrote after a release: no digests, so nothing of it can prove a duplicate.
            S.First = null;
            S.Parts = [];
            S.ReleasedAt = null;
            S.MessageId = null;
        }

        if (IsOpen)
        {
            if (S.Details.Length != S.Parts.Length)
            {
                S.Details = new ConcatenationPart?[S.Parts.Length];
            }

            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<InboundResult> AddPartAsync(InboundPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        part = part with { Message = InboundGrain.Storable(part.Message) };
        if (part.Total is < 1 or > Concatenation.MaxParts)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"total {part.Total} is out of range 1-{Concatenation.MaxParts}", "total");
        }

        if (part.Sequence < 1 || part.Sequence > part.Total)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"part {part.Sequence} is out of range 1-{part.Total}", "part");
        }

        var index = part.Sequence - 1;
        var digest = Digest(part.Message);
        Forget(time.GetUtcNow());
        if (IsOpen && S.Parts[index] is { } held)
        {
            if (S.Details[index]?.Digest == digest || (S.Details[index] is null && held == part.Message.Text))
            {
                // The same part again. If every part is here, an earlier release failed: release now.
                return S.Parts.All(p => p is not null) ? await ReleaseAsync() : Duplicate("");
            }

            var key = this.GetPrimaryKeyString();
            InboundLog.ReferenceReused(logger, key, part.Sequence);
            await ReleaseAsync();
        }

        if (!IsOpen)
        {
            if (S.Released.LastOrDefault(r => r.Digests.Count == part.Total && r.Digests[index] == digest) is { } earlier)
            {
                if (!S.Held.Any(h => h.Sequence == part.Sequence && h.Detail.Digest == digest))
                {
                    S.Held.Add(new HeldPart(part.Sequence, part.Message.Text, new ConcatenationPart(digest, part.Message.Flags, part.Message.Raw), time.GetUtcNow()));
                    await state.WriteOrDeactivateAsync(this, logger);
                }

                return Duplicate(earlier.MessageId);
            }

            S.First = part.Message;
            S.Parts = new string?[part.Total];
            S.Details = new ConcatenationPart?[part.Total];
            S.FirstPartAt = time.GetUtcNow();
            await RegisterReminderAsync();
            ArmTimer();
            S.Parts[index] = part.Message.Text;
            S.Details[index] = new ConcatenationPart(digest, part.Message.Flags, part.Message.Raw);
            TakeHeldParts();
        }
        else
        {
            S.Parts[index] = part.Message.Text;
            S.Details[index] = new ConcatenationPart(digest, part.Message.Flags, part.Message.Raw);
        }

        await state.WriteOrDeactivateAsync(this, logger);
        return S.Parts.All(p => p is not null)
            ? await ReleaseAsync()
            : Accepted();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = time.GetUtcNow();
        var forgot = Forget(now);
        if (IsOpen)
        {
            if (now - S.FirstPartAt >= Timeout)
            {
                await ReleaseAsync();
            }
            else if (forgot)
            {
                await state.WriteOrDeactivateAsync(this, logger);
            }
        }
        else if (S.Released.Count == 0 && S.Held.Count == 0)
        {
            await UnregisterAsync();
            await state.ClearStateAsync();
        }
        else if (forgot)
        {
            await state.WriteOrDeactivateAsync(this, logger);
        }
    }

    /// <summary>A part's identity: its text and, when the carrier gave them, its raw user data bytes (UDH included).</summary>
    private static string Digest(InboundMessage message)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(message.Text);
        var raw = message.Raw?.UserData ?? [];
        var bytes = new byte[text.Length + 1 + raw.Length];
        text.CopyTo(bytes, 0);
        bytes[text.Length] = message.Raw is null ? (byte)0 : (byte)1;
        raw.CopyTo(bytes, text.Length + 1);
        return Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    private static InboundResult Accepted()
    {
        InboundMetrics.Message(InboundOutcome.PartAccepted);
        return new InboundResult("", InboundOutcome.PartAccepted);
    }

    private static InboundResult Duplicate(string messageId)
    {
        InboundMetrics.Message(InboundOutcome.Duplicate);
        return new InboundResult(messageId, InboundOutcome.Duplicate);
    }

    /// <summary>A message just opened takes the held parts that fit its empty places (the newest first).</summary>
    private void TakeHeldParts()
    {
        foreach (var held in Enumerable.Reverse(S.Held).ToList())
        {
            if (held.Sequence <= S.Parts.Length && S.Parts[held.Sequence - 1] is null)
            {
                S.Parts[held.Sequence - 1] = held.Text;
                S.Details[held.Sequence - 1] = held.Detail;
                S.Held.Remove(held);
            }
        }
    }

    /// <summary>Drops released messages older than ten timeouts (and beyond the bound) and held parts older than one; true when any was dropped.</summary>
    private bool Forget(DateTimeOffset now)
    {
        var before = S.Released.Count + S.Held.Count;
        S.Released.RemoveAll(r => now - r.ReleasedAt >= Memory);
        if (S.Released.Count > MaxReleased)
        {
            S.Released.RemoveRange(0, S.Released.Count - MaxReleased);
        }

        S.Held.RemoveAll(h => now - h.HeldAt >= Timeout);
        return S.Released.Count + S.Held.Count != before;
    }

    /// <summary>Hands the open message to the inbound pipeline (stored before this returns), then remembers its part digests.</summary>
    private async Task<InboundResult> ReleaseAsync()
    {
        _timer?.Dispose();
        var first = S.First!;
        var (text, missing) = Concatenation.Join(S.Parts);
        if (missing.Count > 0)
        {
            var key = this.GetPrimaryKeyString();
            InboundLog.ReleasedIncomplete(logger, key, new MaskedNumber(first.Number), missing, S.Parts.Length);
        }

        var digests = S.Details.Select(d => d?.Digest).ToList();
        var present = S.Details.Where(d => d is not null).Select(d => d!).ToList();
        var message = first with
        {
            CarrierMessageId = $"{first.CarrierMessageId}+{S.Parts.Length}/{SetDigest(digests)}",
            Text = text,
            Incomplete = missing.Count > 0,
            Flags = [.. present.SelectMany(d => d.Flags).Distinct(StringComparer.Ordinal)],
            Raw = JoinRaw(present),
        };

        InboundResult result;
        try
        {
            result = await GrainFactory.GetGrain<IInboundGrain>(0).AcceptAsync(message);
        }
        catch
        {
            ArmTimer(RetryRelease); // The message stays open: the timer (or the reminder) tries the release again.
            throw;
        }

        S.Released.Add(new ReleasedConcatenation(result.MessageId, time.GetUtcNow(), digests));
        S.First = null;
        S.Parts = [];
        S.Details = [];
        await state.WriteOrDeactivateAsync(this, logger);
        return result;
    }

    /// <summary>The identity of a set of parts: the same parts make the same released message, other parts another.</summary>
    private static string SetDigest(IReadOnlyList<string?> digests) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('|', digests.Select(d => d ?? "-")))).AsSpan(0, 8));

    /// <summary>
    /// The raw fields of the whole message: those of its lowest part that has them, with the user data
    /// of every present part in sequence order (each with its own header) and every part's problem.
    /// </summary>
    private static InboundRaw? JoinRaw(IReadOnlyList<ConcatenationPart> parts)
    {
        var raws = parts.Where(p => p.Raw is not null).Select(p => p.Raw!).ToList();
        if (raws.Count == 0)
        {
            return null;
        }

        var problems = raws.Select(r => r.Problem).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal).ToList();
        return raws[0] with
        {
            UserData = [.. raws.SelectMany(r => r.UserData)],
            Problem = problems.Count == 0 ? null : string.Join("; ", problems),
        };
    }

    private async Task RegisterReminderAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        catch (Exception ex) when (ex is not PoolException)
        {
            // Without the reminder a crash could strand the part: refuse it, the carrier sends it again.
            InboundLog.StoreFailed(logger, "registering a concatenation reminder", ex);
            S.First = null;
            S.Parts = [];
            S.Details = [];
            throw StoreFaults.Unavailable("registering a concatenation reminder");
        }
    }

    private void ArmTimer(TimeSpan? after = null)
    {
        _timer?.Dispose();
        var due = after ?? S.FirstPartAt + Timeout - time.GetUtcNow();
        _timer = this.RegisterGrainTimer(
            async _ =>
            {
                if (IsOpen)
                {
                    await ReleaseAsync();
                }
            },
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, System.Threading.Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task UnregisterAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}

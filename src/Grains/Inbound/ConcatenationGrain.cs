using Microsoft.Extensions.Options;
using Pool.Contracts.Errors;
using Pool.Contracts.Inbound;
using Pool.Grains.Persistence;
using Pool.Sms.Encoding;
using Pool.Sms.Numbers;

namespace Pool.Grains.Inbound;

/// <summary>
/// Reassembles one concatenated message. Every part is persisted before it is acknowledged; the
/// whole message enters the inbound pipeline (with a carrier message id derived from its first part,
/// so a retried release is a duplicate there) when the last part arrives, or incomplete when the
/// timeout passes: by a grain timer while active, by a reminder after a crash. The released state is
/// kept for ten timeouts so a part the carrier sends again is dropped, then cleared.
/// </summary>
public sealed class ConcatenationGrain(
    [PersistentState("concatenation", PoolStorage.Name)] IPersistentState<ConcatenationState> state,
    IOptions<InboundOptions> options,
    [FromKeyedServices(PoolClock.Key)] TimeProvider time,
    ILogger<ConcatenationGrain> logger) : Grain, IConcatenationGrain, IRemindable
{
    private const string ReminderName = "concatenation-timeout";
    private IGrainTimer? _timer;

    private TimeSpan Timeout => options.Value.ConcatenationTimeout;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.First is not null && state.State.ReleasedAt is null)
        {
            ArmTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<InboundResult> AddPartAsync(InboundPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Total is < 1 or > ConcatenationBuffer.MaxParts)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"total {part.Total} is out of range 1-{ConcatenationBuffer.MaxParts}", "total");
        }

        if (part.Sequence < 1 || part.Sequence > part.Total)
        {
            throw new PoolException(PoolErrorCode.InvalidArgument, $"part {part.Sequence} is out of range 1-{part.Total}", "part");
        }

        var now = time.GetUtcNow();
        if (state.State.ReleasedAt is { } released)
        {
            if (now - released < Timeout * 10)
            {
                return new InboundResult(state.State.MessageId ?? "", InboundOutcome.Duplicate);
            }

            state.State = new ConcatenationState(); // The carrier reused the reference long after: a new message.
        }

        if (state.State.First is null)
        {
            state.State.First = part.Message;
            state.State.Parts = new string?[part.Total];
            state.State.FirstPartAt = now;
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            ArmTimer();
        }

        if (state.State.Parts[part.Sequence - 1] is not null)
        {
            return new InboundResult(state.State.MessageId ?? "", InboundOutcome.Duplicate);
        }

        state.State.Parts[part.Sequence - 1] = part.Message.Text;
        await state.WriteOrDeactivateAsync(this, logger);
        return state.State.Parts.All(p => p is not null)
            ? await ReleaseAsync()
            : Accepted();
    }

    private static InboundResult Accepted()
    {
        InboundMetrics.Message(InboundOutcome.PartAccepted);
        return new InboundResult("", InboundOutcome.PartAccepted);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.First is null)
        {
            await UnregisterAsync();
        }
        else if (state.State.ReleasedAt is { } released)
        {
            if (time.GetUtcNow() - released >= Timeout * 10)
            {
                await UnregisterAsync();
                await state.ClearStateAsync();
            }
        }
        else if (time.GetUtcNow() - state.State.FirstPartAt >= Timeout)
        {
            await ReleaseAsync();
        }
    }

    private async Task<InboundResult> ReleaseAsync()
    {
        _timer?.Dispose();
        var first = state.State.First!;
        var (text, missing) = ConcatenationBuffer.Join(state.State.Parts);
        if (missing.Count > 0)
        {
            var key = this.GetPrimaryKeyString();
            var number = new MaskedNumber(first.Number);
            InboundLog.ReleasedIncomplete(logger, key, number, missing, state.State.Parts.Length);
        }

        var message = first with { CarrierMessageId = $"{first.CarrierMessageId}+{state.State.Parts.Length}", Text = text, Incomplete = missing.Count > 0 };
        var result = await GrainFactory.GetGrain<IInboundGrain>(0).AcceptAsync(message);
        state.State.ReleasedAt = time.GetUtcNow();
        state.State.MessageId = result.MessageId;
        state.State.Parts = [];
        await state.WriteOrDeactivateAsync(this, logger);
        return result;
    }

    private void ArmTimer()
    {
        _timer?.Dispose();
        var due = state.State.FirstPartAt + Timeout - time.GetUtcNow();
        _timer = this.RegisterGrainTimer(
            async _ =>
            {
                if (state.State.First is not null && state.State.ReleasedAt is null)
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

using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Pool.Contracts.Audit;
using Pool.Contracts.Errors;
using Pool.Contracts.Inventory;
using Pool.Contracts.Privacy;
using Pool.Contracts.Verification;
using Pool.Grains.Audit;
using Pool.Grains.Verification;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;

namespace Pool.Grains.Privacy;

/// <summary>
/// Erases an end user's data in the outbound flow. The number is found only by its keyed hash; each of
/// its verifications is erased through its grain first (a pending one is canceled, and the grain's
/// state, in memory and in grain_state, loses the number), then the index rows, outbound messages and
/// status reports are anonymised in one transaction with the audit row. Should that transaction fail,
/// the index rows still have the hash, so a retry finds them and finishes (the grains have nothing left
/// to erase and say so). Non-reentrant, one activation: see <see cref="IPrivacyGrain"/>.
/// </summary>
public sealed class PrivacyGrain(
    VerificationCrypto crypto,
    ErasureStore store,
    IOptions<ClusterOptions> cluster,
    ILogger<PrivacyGrain> logger) : Grain, IPrivacyGrain
{
    public const string AuditAction = "end_user.erase";
    public const string AuditTargetPrefix = "end-user/";

    public async Task<EndUserErasure> EraseEndUserAsync(string number, string? tenantId, CancellationToken cancellationToken = default)
    {
        if (!E164.TryParse(number, out var e164, out var error))
        {
            var text = number?.Trim() ?? "";
            var echo = text.Length > 0 ? error.Replace(text, E164.Mask(text), StringComparison.Ordinal) : error;
            throw new PoolException(PoolErrorCode.InvalidArgument, $"number {LogRedaction.MaskNumbers(echo)}", "number");
        }

        string? tenant = null;
        if (!string.IsNullOrWhiteSpace(tenantId))
        {
            if (!PoolId.TryNormalize(tenantId, out tenant, out _) || tenant != tenantId)
            {
                throw new PoolException(PoolErrorCode.InvalidArgument, $"tenant_id {Echo.Quote(tenantId)} is not a tenant id: 1-40 lowercase letters, digits and '-'", "tenant_id");
            }
        }

        crypto.EnsureConfigured();
        var masked = E164.Mask(e164);
        var numberHash = crypto.NumberIndex(e164);
        var found = await store.FindVerificationsAsync(numberHash, tenant, cancellationToken);

        int canceled = 0, states = 0;
        foreach (var (verificationId, _) in found)
        {
            switch (await GrainFactory.GetGrain<IVerificationGrain>(verificationId).EraseEndUserAsync(numberHash))
            {
                case VerificationErasure.CanceledAndAnonymised:
                    canceled++;
                    states++;
                    break;
                case VerificationErasure.Anonymised:
                    states++;
                    break;
            }
        }

        var actor = AuditActor.Current;
        var rows = await store.AnonymiseAsync(
            numberHash,
            [.. found.Select(f => f.VerificationId)],
            cluster.Value.ServiceId,
            erased => new AuditRecord(actor, AuditAction, AuditTargetPrefix + masked, Before: null, After: AuditRows.Json(new
            {
                Tenant = tenant ?? "*",
                ActiveVerificationsCanceled = canceled,
                VerificationsAnonymised = erased.Verifications,
                VerificationStatesAnonymised = states,
                OutboundMessagesAnonymised = erased.OutboundMessages,
                ReceiptsAnonymised = erased.Receipts,
                LegacyStatesDeleted = erased.LegacyStates,
            })),
            cancellationToken);

        var result = new EndUserErasure(masked, tenant, canceled, rows.Verifications, states, rows.OutboundMessages, rows.Receipts, rows.LegacyStates);
        PrivacyLog.Erased(logger, masked, tenant ?? "*", actor.KeyId, canceled, rows.Verifications, states, rows.OutboundMessages, rows.Receipts);
        return result;
    }
}

internal static partial class PrivacyLog
{
    [LoggerMessage(EventId = 18001, Level = LogLevel.Information,
        Message = "End user {Number} erased (tenant {Tenant}) by key {KeyId}: {Canceled} pending verifications canceled, {Verifications} verification rows and {States} states anonymised, {Messages} outbound messages, {Receipts} receipts")]
    public static partial void Erased(ILogger logger, string number, string tenant, string keyId, int canceled, int verifications, int states, int messages, int receipts);
}

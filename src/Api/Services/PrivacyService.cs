using Grpc.Core;
using Pool.Api.Errors;
using Pool.Contracts.Privacy;
using Pool.Sms.Logging;
using Pool.Sms.Numbers;
using Pool.V1;

namespace Pool.Api.Services;

/// <summary>pool.v1.Privacy (operators): erasure of an end user's data, done by <see cref="IPrivacyGrain"/>.</summary>
internal sealed class PrivacyService(IGrainFactory grains) : V1.Privacy.PrivacyBase
{
    public override async Task<EraseEndUserResponse> EraseEndUser(EraseEndUserRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (!E164.TryParse(request.Number, out var number, out var error))
        {
            var text = request.Number.Trim();
            violations.Add("number", LogRedaction.MaskNumbers(text.Length > 0 ? error.Replace(text, E164.Mask(text), StringComparison.Ordinal) : error));
        }

        var tenant = request.TenantId.Length == 0 ? null : Validate.TenantId(request.TenantId, violations);
        violations.ThrowIfAny();
        var erased = await grains.GetGrain<IPrivacyGrain>(0).EraseEndUserAsync(number!, tenant, context.CancellationToken).WaitAsync(context.CancellationToken);
        return new EraseEndUserResponse
        {
            Number = erased.NumberMasked,
            TenantId = erased.TenantId ?? "",
            ActiveVerificationsCanceled = erased.ActiveVerificationsCanceled,
            VerificationsAnonymised = erased.VerificationsAnonymised,
            VerificationStatesAnonymised = erased.VerificationStatesAnonymised,
            OutboundMessagesAnonymised = erased.OutboundMessagesAnonymised,
            ReceiptsAnonymised = erased.ReceiptsAnonymised,
            LegacyStatesDeleted = erased.LegacyStatesDeleted,
        };
    }
}

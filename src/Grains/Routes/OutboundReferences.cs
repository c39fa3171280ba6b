using Pool.Contracts.Verification;
using Pool.Grains.Verification;

namespace Pool.Grains.Routes;

/// <summary>The owners an outbound message can have, named by its reference ("kind:id").</summary>
public static class OutboundReferences
{
    /// <summary>Tells the message's owner about its delivery; a reference of an unknown kind has no owner to tell.</summary>
    public static Task DeliverAsync(IGrainFactory grains, string reference, bool delivered) =>
        reference.StartsWith(VerificationGrain.ReferencePrefix, StringComparison.Ordinal)
            ? grains.GetGrain<IVerificationGrain>(reference[VerificationGrain.ReferencePrefix.Length..]).RecordDeliveryAsync(delivered)
            : Task.CompletedTask;
}

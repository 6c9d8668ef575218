namespace AspireResilience.ChaosProxy.Toxics.ResetPeer;

/// <summary>Attributes of the <c>reset_peer</c> toxic.</summary>
public sealed class ResetPeerOptions
{
    /// <summary>
    /// Gets when both sides are reset with TCP RST (attribute <c>timeout</c>, milliseconds):
    /// zero means on the next chunk in the toxic's direction (that chunk is not delivered);
    /// otherwise that long after the toxic takes effect on the connection (accept, or the
    /// toxic being added), with data flowing normally until then. Defaults to zero.
    /// </summary>
    public TimeSpan Timeout { get; init; }
}

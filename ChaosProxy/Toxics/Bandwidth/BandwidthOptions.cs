namespace AspireResilience.ChaosProxy.Toxics.Bandwidth;

/// <summary>Attributes of the <c>bandwidth</c> toxic.</summary>
public sealed class BandwidthOptions
{
    /// <summary>
    /// Gets the rate limit (attribute <c>rate</c>, KB/s with KB = 1000 bytes, as in Toxiproxy).
    /// Zero means unlimited. Defaults to zero.
    /// </summary>
    public long Rate { get; init; }
}

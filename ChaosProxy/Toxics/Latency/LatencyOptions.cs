namespace AspireResilience.ChaosProxy.Toxics.Latency;

/// <summary>Attributes of the <c>latency</c> toxic: every chunk is delayed, order is kept.</summary>
public sealed class LatencyOptions
{
    /// <summary>
    /// Gets the delay added to every chunk (attribute <c>latency</c>, milliseconds), measured
    /// from the moment the chunk was read, so chunks queued meanwhile are not delayed twice.
    /// Defaults to zero.
    /// </summary>
    public TimeSpan Latency { get; init; }

    /// <summary>
    /// Gets the spread around <see cref="Latency"/> (attribute <c>jitter</c>, milliseconds): each
    /// chunk waits latency ± jitter, uniformly, never less than zero. Defaults to zero.
    /// </summary>
    public TimeSpan Jitter { get; init; }
}

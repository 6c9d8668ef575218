namespace AspireResilience.TestSupport.Soak;

/// <summary>How far apart the soak's faults are and how long the lasting ones (blackhole, latency, flapping) hold.</summary>
public sealed record FaultTimings
{
    /// <summary>Shortest quiet time after a fault healed. Defaults to 0.5 s.</summary>
    public TimeSpan MinGap { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Longest quiet time after a fault healed. Defaults to 3 s.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Shortest hold of a lasting fault. Defaults to 1.5 s.</summary>
    public TimeSpan MinHold { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Longest hold of a lasting fault. Defaults to 3.5 s.</summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromSeconds(3.5);
}

namespace AspireResilience.TestSupport;

/// <summary>Ceilings for awaits. Generous: they catch hangs, not slowness (budgets are asserted from spans).</summary>
public static class Timeouts
{
    public static TimeSpan StartStop { get; } = TimeSpan.FromMinutes(3);
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(30);
    public static TimeSpan Telemetry { get; } = TimeSpan.FromSeconds(20);

    /// <summary>A token that cancels after <see cref="Default"/> (or <paramref name="timeout"/>).</summary>
    public static CancellationToken Token(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? Default).Token;
}

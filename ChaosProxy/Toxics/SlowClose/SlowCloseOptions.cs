namespace AspireResilience.ChaosProxy.Toxics.SlowClose;

/// <summary>Attributes of the <c>slow_close</c> toxic.</summary>
public sealed class SlowCloseOptions
{
    /// <summary>
    /// Gets how long the end of the stream (FIN) is held back after the source closed
    /// (attribute <c>delay</c>, milliseconds). Data is not delayed. Defaults to zero.
    /// </summary>
    public TimeSpan Delay { get; init; }
}

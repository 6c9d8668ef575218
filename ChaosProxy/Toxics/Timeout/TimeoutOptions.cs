namespace AspireResilience.ChaosProxy.Toxics.Timeout;

/// <summary>Attributes of the <c>timeout</c> toxic.</summary>
public sealed class TimeoutOptions
{
    /// <summary>
    /// Gets how long after the toxic takes effect on a connection (accept, or the toxic being
    /// added) the connection is closed (attribute <c>timeout</c>, milliseconds). Zero means never:
    /// the connection stays half-open with no data flowing until the toxic is removed.
    /// Defaults to zero.
    /// </summary>
    public TimeSpan Timeout { get; init; }
}

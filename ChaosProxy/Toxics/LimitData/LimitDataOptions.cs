namespace AspireResilience.ChaosProxy.Toxics.LimitData;

/// <summary>Attributes of the <c>limit_data</c> toxic.</summary>
public sealed class LimitDataOptions
{
    /// <summary>
    /// Gets how many bytes pass in the toxic's direction before the connection is closed
    /// (attribute <c>bytes</c>); exactly that many are delivered. Defaults to zero (closes on the
    /// first data).
    /// </summary>
    public long Bytes { get; init; }
}

namespace AspireResilience.ChaosProxy.Toxics.Slicer;

/// <summary>Attributes of the <c>slicer</c> toxic.</summary>
public sealed class SlicerOptions
{
    /// <summary>Gets the average size of a slice (attribute <c>average_size</c>, bytes, at least 1). Defaults to 64.</summary>
    public int AverageSize { get; init; } = 64;

    /// <summary>
    /// Gets the spread of slice sizes (attribute <c>size_variation</c>, bytes, less than
    /// <see cref="AverageSize"/>): each slice is average ± variation, uniformly. Defaults to zero.
    /// </summary>
    public int SizeVariation { get; init; }

    /// <summary>
    /// Gets the pause between two slices of one chunk (attribute <c>delay</c>, microseconds).
    /// Pauses below the timer resolution accumulate against the clock. Defaults to zero.
    /// </summary>
    public TimeSpan Delay { get; init; }
}

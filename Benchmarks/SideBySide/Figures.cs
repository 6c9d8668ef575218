namespace AspireResilience.Benchmarks.SideBySide;

/// <summary>
/// Every figure of every repetition, by key (<c>handshake.floor.p50</c>); the report shows the
/// median of each, and the JSON keeps all of them so the spread can be read too.
/// </summary>
internal sealed class Figures
{
    private readonly Dictionary<string, List<double>> _values = [];

    public void Add(string key, double value)
    {
        if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
        list.Add(value);
    }

    public IReadOnlyDictionary<string, List<double>> All => _values;

    /// <summary>The median of the repetitions (the mean of the middle two for an even count); NaN when never measured.</summary>
    public double Median(string key)
    {
        if (!_values.TryGetValue(key, out var list) || list.Count == 0) return double.NaN;
        var sorted = list.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>Reads a toxic's attributes with their defaults and rejects names the type does not know.</summary>
internal sealed class ToxicAttributeReader(string type, IReadOnlyDictionary<string, long> attributes)
{
    private readonly List<string> _known = [];

    public long Get(string name, long defaultValue)
    {
        _known.Add(name);
        return attributes.TryGetValue(name, out var value) ? value : defaultValue;
    }

    public TimeSpan GetMilliseconds(string name, TimeSpan defaultValue) =>
        TimeSpan.FromMilliseconds(Get(name, (long)defaultValue.TotalMilliseconds));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unknown attribute.</summary>
    public void EnsureNoUnknownAttributes()
    {
        var unknown = attributes.Keys.FirstOrDefault(k => !_known.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException(
                $"unknown attribute '{unknown}' for toxic type '{type}'; expected: {string.Join(", ", _known)}");
        }
    }
}

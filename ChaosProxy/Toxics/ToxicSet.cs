using System.Collections.Immutable;

namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>
/// An immutable snapshot of a proxy's toxics, in the order they were added (the chain order),
/// split by direction. The proxy swaps it atomically; each chunk reads the current one.
/// </summary>
internal sealed class ToxicSet
{
    public static readonly ToxicSet Empty = new([]);

    private ToxicSet(ImmutableArray<Toxic> all)
    {
        All = all;
        Upstream = [.. all.Where(t => t.Stream == ToxicStream.Upstream)];
        Downstream = [.. all.Where(t => t.Stream == ToxicStream.Downstream)];
    }

    public ImmutableArray<Toxic> All { get; }

    public ImmutableArray<Toxic> Upstream { get; }

    public ImmutableArray<Toxic> Downstream { get; }

    public ImmutableArray<Toxic> For(ToxicStream stream) => stream == ToxicStream.Upstream ? Upstream : Downstream;

    public Toxic? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    public ToxicSet Add(Toxic toxic) => new(All.Add(toxic));

    public ToxicSet Replace(Toxic existing, Toxic replacement) => new(All.Replace(existing, replacement));

    public ToxicSet Remove(Toxic toxic) => new(All.Remove(toxic));
}

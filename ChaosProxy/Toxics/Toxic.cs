namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>
/// One fault applied to one direction of every connection of a proxy. A toxic instance is
/// immutable and shared by all connections; per-connection state comes from <see cref="Attach"/>.
/// An update replaces the instance, so "removed" also means "superseded".
/// </summary>
internal abstract class Toxic(ToxicSettings settings)
{
    private readonly CancellationTokenSource _removed = new();

    public string Name => settings.Name;

    public ToxicStream Stream => settings.Stream;

    public double Toxicity => settings.Toxicity;

    public ToxicSettings Settings => settings;

    /// <summary>The Toxiproxy type name, e.g. <c>latency</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The attributes as the API shows them (Toxiproxy units: ms, µs, bytes, KB/s).</summary>
    public abstract IReadOnlyDictionary<string, long> Attributes { get; }

    /// <summary>Cancelled when the toxic is removed or replaced: waits inside it end and data flows on.</summary>
    public CancellationToken Removed => _removed.Token;

    public bool IsRemoved => _removed.IsCancellationRequested;

    /// <summary>
    /// Marks the toxic removed. Callbacks run on the thread pool so the API caller never runs
    /// a connection's write loop inline.
    /// </summary>
    public void MarkRemoved() => _ = _removed.CancelAsync();

    /// <summary>
    /// Called once per connection the toxic applies to (after the toxicity draw), when the
    /// connection first sees it: at accept or when the toxic is added. Returns the toxic's
    /// per-connection state; timers that act without data start here.
    /// </summary>
    public virtual object? Attach(IToxicContext context) => null;

    /// <summary>Acts on one chunk and passes what is left of it to <paramref name="next"/>.</summary>
    public abstract ValueTask OnDataAsync(ToxicChain next, ReadOnlyMemory<byte> data, long timestamp, object? state, CancellationToken cancellationToken);

    /// <summary>Acts on the end of the stream (EOF read from the source); forwards it by default.</summary>
    public virtual ValueTask OnEndAsync(ToxicChain next, long timestamp, object? state, CancellationToken cancellationToken) =>
        next.EndAsync(timestamp, cancellationToken);
}

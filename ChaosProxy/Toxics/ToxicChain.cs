namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>The rest of a toxic chain after the current toxic: a cheap cursor into a <see cref="ToxicPipeline"/>.</summary>
internal readonly struct ToxicChain
{
    private readonly ToxicPipeline _pipeline;
    private readonly int _index;

    internal ToxicChain(ToxicPipeline pipeline, int index)
    {
        _pipeline = pipeline;
        _index = index;
    }

    public IToxicContext Context => _pipeline.Context;

    /// <summary>Passes data on to the next toxic, or to the destination socket after the last one.</summary>
    public ValueTask ForwardAsync(ReadOnlyMemory<byte> data, long timestamp, CancellationToken cancellationToken) =>
        _pipeline.ProcessDataAsync(_index, data, timestamp, cancellationToken);

    /// <summary>Passes the end of the stream on.</summary>
    public ValueTask EndAsync(long timestamp, CancellationToken cancellationToken) =>
        _pipeline.ProcessEndAsync(_index, timestamp, cancellationToken);
}

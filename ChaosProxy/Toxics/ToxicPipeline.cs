using System.Collections.Immutable;

namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>
/// One direction of one connection: runs a chunk through that direction's toxics in order,
/// then into the sink. Invariant: one chunk at a time (the direction's write loop is
/// sequential), so the snapshot a chunk started with stays put until it is written.
/// </summary>
internal sealed class ToxicPipeline(IToxicContext context, ToxicAttachments attachments, IChunkSink sink)
{
    private ImmutableArray<Toxic> _toxics = [];

    public IToxicContext Context => context;

    /// <summary>Runs one chunk through <paramref name="toxics"/> (a snapshot taken for this chunk).</summary>
    public ValueTask WriteAsync(ImmutableArray<Toxic> toxics, ReadOnlyMemory<byte> data, long timestamp, CancellationToken cancellationToken)
    {
        _toxics = toxics;
        return ProcessDataAsync(0, data, timestamp, cancellationToken);
    }

    /// <summary>Runs the end of the stream through <paramref name="toxics"/>.</summary>
    public ValueTask CompleteAsync(ImmutableArray<Toxic> toxics, long timestamp, CancellationToken cancellationToken)
    {
        _toxics = toxics;
        return ProcessEndAsync(0, timestamp, cancellationToken);
    }

    internal ValueTask ProcessDataAsync(int index, ReadOnlyMemory<byte> data, long timestamp, CancellationToken cancellationToken)
    {
        var toxics = _toxics;
        for (var i = index; i < toxics.Length; i++)
        {
            if (attachments.TryGetActive(toxics[i], context, out var state))
            {
                return toxics[i].OnDataAsync(new ToxicChain(this, i + 1), data, timestamp, state, cancellationToken);
            }
        }

        return sink.WriteAsync(data, cancellationToken);
    }

    internal ValueTask ProcessEndAsync(int index, long timestamp, CancellationToken cancellationToken)
    {
        var toxics = _toxics;
        for (var i = index; i < toxics.Length; i++)
        {
            if (attachments.TryGetActive(toxics[i], context, out var state))
            {
                return toxics[i].OnEndAsync(new ToxicChain(this, i + 1), timestamp, state, cancellationToken);
            }
        }

        return sink.CompleteAsync(cancellationToken);
    }
}

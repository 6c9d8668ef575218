namespace AspireResilience.ChaosProxy.Toxics;

/// <summary>The end of a toxic chain: the destination socket of one direction.</summary>
internal interface IChunkSink
{
    /// <summary>Writes all of <paramref name="data"/> to the destination.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Propagates the end of the stream (half-close: FIN in this direction only).</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}

using AspireResilience.ChaosProxy.Toxics;

namespace AspireResilience.UnitTests.ChaosProxy;

/// <summary>The end of a toxic chain in memory: keeps every write separately.</summary>
internal sealed class CaptureSink : IChunkSink
{
    public List<byte[]> Writes { get; } = [];

    public bool Completed { get; private set; }

    public byte[] AllBytes => [.. Writes.SelectMany(w => w)];

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Writes.Add(data.ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        Completed = true;
        return ValueTask.CompletedTask;
    }
}

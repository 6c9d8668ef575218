namespace AspireResilience.ChaosProxy.Proxies;

/// <summary>Bytes read from a source: a pooled buffer, its used length and when it was read.</summary>
internal readonly record struct Chunk(byte[] Buffer, int Length, long Timestamp)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);
}

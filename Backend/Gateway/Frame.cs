namespace AspireResilience.Backend.Gateway;

/// <summary>One whole client message, or the close code its shape calls for.</summary>
public readonly record struct Frame(ReadOnlyMemory<byte> Text, int? CloseCode, bool PeerClosed)
{
    public static Frame Closed => new(default, null, true);
    public static Frame Reject(int code) => new(default, code, false);
}

namespace AspireResilience.Client;

/// <summary>The server ended the session with a close code that forbids reconnecting.</summary>
public sealed class SessionClosedException(int closeCode, string reason)
    : Exception($"The server closed the session with {closeCode}: {reason}")
{
    /// <summary>The WebSocket close code (docs/protocol.md).</summary>
    public int CloseCode { get; } = closeCode;
}

namespace AspireResilience.Backend.Limits;

/// <summary>
/// Socket-level caps, before any frame is read. Section <c>Connections</c>. The protocol's own
/// limits (frames, reconnects per session and user) act once a socket is open; these keep one
/// host from opening sockets faster, or more of them, than the process can serve.
/// </summary>
public sealed class ConnectionLimitOptions
{
    public const string SectionName = "Connections";

    /// <summary>
    /// Most upgraded (WebSocket) connections this process holds at once; past it an upgrade is
    /// answered 503 and no socket is opened (Kestrel's <c>MaxConcurrentUpgradedConnections</c>).
    /// Each idle session costs a few KB, so the default sits well inside one process' memory.
    /// Defaults to 10,000.
    /// </summary>
    public long MaxUpgradedConnections { get; set; } = 10_000;

    /// <summary>
    /// Sustained WebSocket handshakes per second from one remote address (a token bucket);
    /// past it, and past <see cref="HandshakeBurstPerAddress"/>, an upgrade is answered 429 with
    /// <c>Retry-After</c>. Many users behind one NAT share an address, hence a rate far above
    /// one person's reconnects. Defaults to 20; 0 turns the limit off.
    /// </summary>
    public int HandshakesPerSecondPerAddress { get; set; } = 20;

    /// <summary>Handshakes one address may make at once before the rate applies (the bucket's size). Defaults to 100.</summary>
    public int HandshakeBurstPerAddress { get; set; } = 100;
}
